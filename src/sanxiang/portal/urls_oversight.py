"""Portal pages of complaints (投诉举报), included by portal/urls.py under /gongshi/."""

from django.urls import path

from sanxiang.portal import views_oversight

urlpatterns: list = [
    path("complaints/new/", views_oversight.complaint_new, name="complaint-new"),
    path("complaints/track/", views_oversight.complaint_track, name="complaint-track"),
]
