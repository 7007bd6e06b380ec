"""Public pre-disclosure pages (事前公开) under /gongshi/pre/: no login, published versions only."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.catalog import selectors_predisclosure as pre
from sanxiang.core.errors import NotFound


def index(request):
    """The seven categories with the date each was last updated."""
    return render(request, "portal/predisclosure/index.html", {"categories": pre.predisclosure_index()})


def category(request, category: str):
    """The documents of a category as published now, and its live sections."""
    try:
        cat = pre.predisclosure_category(category)
    except NotFound:
        raise Http404 from None
    today = timezone.localdate()
    return render(request, "portal/predisclosure/category.html", {
        "category": cat,
        "categories": pre.CATEGORIES,
        "documents": pre.predisclosure_current(cat),
        "sections": pre.predisclosure_live_sections(cat, today),
        "today": today,
    })


def history(request, category: str, slug: str):
    """Every published version of one document with its dates and change note (修改记录)."""
    try:
        cat = pre.predisclosure_category(category)
        doc = pre.predisclosure_history(slug)
    except NotFound:
        raise Http404 from None
    if doc.category != cat:
        return redirect("portal:predisclosure-history", doc.category.value, slug, permanent=True)
    return render(request, "portal/predisclosure/history.html", {"category": cat, "doc": doc})
