"""Refuse an over-large multipart upload with 413 before anything else reads the body.

The upload handler checks the limit while the bytes stream in and raises `TooLarge`;
parsing happens here, ahead of the CSRF check, so the refusal becomes a clean 413 (JSON
under /api/, a page elsewhere) instead of a server error.
"""

from django.shortcuts import render

from sanxiang.api.errors import error_response
from sanxiang.core.errors import TooLarge


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 — parse now, through the limiting upload handler
            except TooLarge as exc:
                if request.path.startswith("/api/"):
                    return error_response(413, exc.code, exc.message, exc.details)
                return render(request, "413.html", {"message": exc.message}, status=413)
        return self.get_response(request)
