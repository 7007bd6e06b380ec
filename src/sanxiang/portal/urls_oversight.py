"""Portal pages (included by portal/urls.py under /gongshi/)."""

urlpatterns: list = []
