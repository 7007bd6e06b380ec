"""Public portal (公示平台) under /gongshi/: no login, only public data."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts import selectors as accounts
from sanxiang.core.errors import NotFound


def home(request):
    return render(request, "portal/home.html")


def officer_search(request):
    """执法证查询: a certificate number from the form leads to the officer's page."""
    number = (request.GET.get("number") or "").strip()
    if number:
        return redirect(reverse("portal:officer", args=[number]))
    return render(request, "portal/officer_search.html")


def officer_detail(request, certificate_number: str):
    """The public record of one enforcement certificate (also the target of the card's QR code)."""
    try:
        officer = accounts.officer_public(certificate_number=certificate_number)
    except NotFound:
        return render(request, "portal/officer_search.html",
                      {"number": certificate_number, "not_found": True}, status=404)
    record = accounts.officer_public_record(officer, timezone.localdate())
    return render(request, "portal/officer_detail.html", {"record": record})
