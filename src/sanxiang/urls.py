"""URL map: staff workbench `/`, portal `/gongshi/`, APIs `/api/…`, admin `/admin/`."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from sanxiang.api.public import api as public_api
from sanxiang.api.v1 import api as staff_api

admin.site.site_header = "三项制度 系统管理"
admin.site.site_title = "三项制度"

urlpatterns = [
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", staff_api.urls),
    path("api/public/v1/", public_api.urls),
    path("gongshi/", include("sanxiang.portal.urls")),
    path("", include("sanxiang.web.urls")),
]

handler404 = "sanxiang.web.errors.not_found"
handler500 = "sanxiang.web.errors.server_error"
