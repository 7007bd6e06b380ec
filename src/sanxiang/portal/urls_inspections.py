"""Portal pages of random inspections (双随机抽查公示), included by portal/urls.py under /gongshi/."""

from django.urls import path

from sanxiang.portal import views_inspections

urlpatterns: list = [
    path("inspections/", views_inspections.plan_list, name="inspections"),
    path("inspections/<int:plan_id>/", views_inspections.plan_detail, name="inspection-plan"),
    path("inspections/<int:plan_id>/draw.json", views_inspections.plan_json, name="inspection-plan-json"),
]
