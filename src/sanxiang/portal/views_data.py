"""Portal pages of the home, statistics, open data and officer cards (首页、统计、开放数据、执法证卡片).

Public, no login; only public data: the statistics and downloads read the stored public
records (`disclosure.selectors_stats`), the card the officer's public record.
"""

from __future__ import annotations

import csv
import json
import os

import segno
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanxiang.catalog.constants import PenaltyType
from sanxiang.disclosure import selectors_stats as stats
from sanxiang.portal.views import officer_record_or_404

BOM = "\ufeff"


def decision_url(public_id: str) -> str:
    """The portal page of a published decision."""
    return reverse("portal:decision", args=[public_id])


@require_safe
def home(request):
    """首页: the latest published decisions, headline figures, officer check, standing information."""
    latest = stats.latest_decisions(10)
    for row in latest:
        row["url"] = decision_url(row["public_id"])
    return render(request, "portal/home.html", {
        "latest": latest,
        "headline": stats.portal_stats()["headline"],
    })


def _labelled(data: dict) -> dict:
    """The statistics with the labels of the current language (the cached data holds codes)."""
    labels = dict(PenaltyType.choices)
    # Chart labels drop the prefix the district names share (上海市…): narrow screens.
    names = [row["name"] for row in data["districts"] if row["code"] != stats.CITY_LEVEL]
    prefix = os.path.commonprefix(names) if len(names) > 1 else ""
    districts = []
    for row in data["districts"]:
        name = row["name"] or _("City-level units")
        short = name[len(prefix):] if prefix and name.startswith(prefix) and len(name) > len(prefix) else name
        districts.append({**row, "name": name, "short_name": short})
    penalty = [{**row, "name": str(labels.get(row["code"], row["code"]))} for row in data["penalty_types"]]
    return {**data, "districts": districts, "penalty_types": penalty}


@require_safe
def stats_page(request):
    """统计: decisions and fines per month, per district and per penalty type, charts and tables."""
    data = _labelled(stats.portal_stats())
    chart_data = {
        "labels": {
            "decisions": _("Decisions"),
            "fines": _("Fines (10,000 yuan)"),
        },
        "months": [[m["month"], m["decisions"], m["fines_wan"]] for m in data["months"]],
        "districts": [[d["name"], d["decisions"], d["fines_wan"], d["short_name"]] for d in data["districts"]],
        "penalty_types": [[p["name"], p["decisions"]] for p in data["penalty_types"]],
    }
    return render(request, "portal/stats/index.html", {"stats": data, "chart_data": chart_data})


@require_safe
def stats_json(request):
    """The statistics as JSON (same numbers as the page; money as decimal strings in yuan and 万元)."""
    response = JsonResponse(_labelled(stats.portal_stats()), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def data_index(request):
    """开放数据: the downloads, the data dictionary, the public log API."""
    return render(request, "portal/data/index.html", {
        "headline": stats.portal_stats()["headline"],
        "as_of": timezone.localdate(),
    })


@require_safe
def data_dictionary(request):
    """数据字典: every field of the downloads with its label, type, meaning and rule."""
    fields = [{"field": f, "rules": stats.field_rules_text(f.name) if f.record_field else []}
              for f in stats.OPEN_DATA_FIELDS]
    return render(request, "portal/data/dictionary.html", {"fields": fields})


class _Echo:
    """A file-like object whose `write` returns the text (for csv.writer over a stream)."""

    def write(self, value: str) -> str:
        return value


def _csv_lines():
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow([f.name for f in stats.OPEN_DATA_FIELDS])
    for row in stats.open_data_rows():
        yield writer.writerow([stats.csv_value(row[f.name]) for f in stats.OPEN_DATA_FIELDS])


def _jsonl_lines():
    for row in stats.open_data_rows():
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _download(lines, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=content_type)
    name = f"sanxiang-decisions-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def data_csv(request):
    """All decisions on the portal as CSV (UTF-8 with BOM), streamed."""
    return _download(_csv_lines(), "text/csv; charset=utf-8", "csv")


@require_safe
def data_jsonl(request):
    """All decisions on the portal as JSON Lines, streamed."""
    return _download(_jsonl_lines(), "application/x-ndjson; charset=utf-8", "jsonl")


def officer_qr_svg(url: str, title: str) -> str:
    """An SVG QR code (error correction M) of `url`, as inline markup made here (no script, no style)."""
    qr = segno.make(url, error="m", micro=False)
    markup = qr.svg_inline(scale=4, border=4, omitsize=True, svgclass="qr", lineclass="qr-line", title=title)
    return mark_safe(markup)  # noqa: S308 — segno's own markup; the title is escaped by segno


@require_safe
def officer_card(request, certificate_number: str):
    """执法证卡片: printable card of an officer's public data with a QR code of the verification page."""
    record, not_found = officer_record_or_404(request, certificate_number)
    if not_found:
        return not_found
    verify_url = request.build_absolute_uri(reverse("portal:officer", args=[record["certificate_number"]]))
    qr_svg = officer_qr_svg(verify_url, _("QR code of the verification page"))
    return render(request, "portal/officer_card.html",
                  {"record": record, "verify_url": verify_url, "qr_svg": qr_svg})
