from django.urls import path

from sanxiang.web import (
    cases_views,
    inspections_views,
    oversight_dashboard_views,
    oversight_evaluation_views,
    oversight_views,
    predisclosure_views,
    publicity_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password-changed"),
    *cases_views.urlpatterns,
    *predisclosure_views.urlpatterns,
    *publicity_views.urlpatterns,
    *inspections_views.urlpatterns,
    *oversight_views.urlpatterns,
    *oversight_dashboard_views.urlpatterns,
    *oversight_evaluation_views.urlpatterns,
]
