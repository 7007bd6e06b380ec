"""Error pages: JSON error bodies under /api/, a page elsewhere."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from sanxiang.api.errors import error_response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", _("Not found."))
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return error_response(500, "internal_error", _("Internal error; it has been logged."))
    return render(request, "500.html", status=500)
