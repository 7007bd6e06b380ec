from django.urls import path

from sanxiang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("officers/", views.officer_search, name="officer-search"),
    path("officers/<str:certificate_number>/", views.officer_detail, name="officer"),
]
