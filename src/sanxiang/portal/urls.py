from django.urls import include, path

from sanxiang.portal import predisclosure_views, views

app_name = "portal"
urlpatterns = [
    path("officers/", views.officer_search, name="officer-search"),
    path("officers/<str:certificate_number>/", views.officer_detail, name="officer"),
    path("decisions/", views.decision_search, name="decisions"),
    path("decisions/<str:public_id>/", views.decision_detail, name="decision"),
    path("entities/<str:credit_code>/", views.entity_detail, name="entity"),
    path("pre/", predisclosure_views.index, name="predisclosure"),
    path("pre/<str:category>/", predisclosure_views.category, name="predisclosure-category"),
    path("pre/<str:category>/<str:slug>/history/", predisclosure_views.history, name="predisclosure-history"),
    path("", include("sanxiang.portal.urls_data")),
    path("", include("sanxiang.portal.urls_inspections")),
    path("", include("sanxiang.portal.urls_oversight")),
]
