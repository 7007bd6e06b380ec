"""Public portal (公示平台) under /gongshi/: no login, only public data."""

from urllib.parse import quote

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts import selectors as accounts
from sanxiang.core.errors import Gone, InvalidInput, NotFound
from sanxiang.disclosure import selectors_portal
from sanxiang.portal.forms_decisions import DecisionSearchForm


def officer_search(request):
    """执法证查询: a certificate number from the form leads to the officer's page."""
    number = (request.GET.get("number") or "").strip()
    if number:
        return redirect(reverse("portal:officer", args=[number]))
    return render(request, "portal/officer_search.html")


def officer_record_or_404(request, certificate_number: str):
    """(public record of the certificate, None), or (None, the officer check's 404 page)."""
    try:
        officer = accounts.officer_public(certificate_number=certificate_number)
    except NotFound:
        return None, render(request, "portal/officer_search.html",
                            {"number": certificate_number, "not_found": True}, status=404)
    return accounts.officer_public_record(officer, timezone.localdate()), None


def officer_detail(request, certificate_number: str):
    """The public record of one enforcement certificate (also the target of the card's QR code)."""
    record, not_found = officer_record_or_404(request, certificate_number)
    return not_found or render(request, "portal/officer_detail.html", {"record": record})


# ------------------------------------------------------------------ published decisions


#: The public JSON API the decision page links to (API.md "Public API").
PUBLIC_API = "/api/public/v1"

#: Selector fields (`InvalidInput.details["field"]`) → fields of the search form.
_FORM_FIELDS = {"from": "date_from", "to": "date_to"}


def _pager(request, result) -> dict | None:
    """Links to neighbouring pages, keeping every filter of the query string."""
    pages = -(-result.total // result.page_size) if result.total else 1
    if pages <= 1:
        return None

    def href(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    first, last = max(1, result.page - 3), min(pages, result.page + 3)
    return {
        "page": result.page, "pages": pages,
        "previous": href(result.page - 1) if result.page > 1 else None,
        "next": href(result.page + 1) if result.page < pages else None,
        "links": [{"number": n, "href": href(n), "current": n == result.page} for n in range(first, last + 1)],
    }


def decision_search(request):
    """执法决定公示查询: the GET form and one page of published decisions (400 on bad input)."""
    form = DecisionSearchForm(request.GET or None)
    result = None
    searched = bool(request.GET)
    if form.is_bound and form.is_valid():
        filters = form.filters()
        try:
            result = selectors_portal.search_decisions(**filters)
        except InvalidInput as exc:
            name = str(exc.details.get("field"))
            name = _FORM_FIELDS.get(name, name)
            form.add_error(name if name in form.fields else None, exc.message)
    elif not form.is_bound:
        result = selectors_portal.search_decisions()
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "result": result if status == 200 else None, "searched": searched,
               "pager": _pager(request, result) if result is not None and status == 200 else None}
    return render(request, "portal/decisions/search.html", context, status=status)


def decision_detail(request, public_id: str):
    """执法决定公示详情: the public record with its verification; 404 unknown, 410 withdrawn or ended."""
    try:
        page = selectors_portal.decision_page(public_id)
    except NotFound:
        return render(request, "portal/decisions/not_found.html", {"public_id": public_id}, status=404)
    except Gone as exc:
        return render(request, "portal/decisions/gone.html",
                      {"public_id": public_id, "code": exc.code, "message": exc.message,
                       "notice": selectors_portal.gone_notice(exc.details)}, status=410)
    v = page.verification
    pid = quote(page.item.public_id, safe="")
    api = {
        "record": f"{PUBLIC_API}/decisions/{pid}",
        "proof": f"{PUBLIC_API}/decisions/{pid}/proof" + (f"?tree_size={v.head.tree_size}" if v.head else ""),
        "leaf": f"{PUBLIC_API}/log/entries?start={v.log_index}&end={v.log_index}",
        "head": f"{PUBLIC_API}/log/head",
    }
    return render(request, "portal/decisions/detail.html", {"page": page, "v": v, "api": api})


def entity_detail(request, credit_code: str):
    """主体公示记录: an organisation's decisions on the portal, by unified social credit code."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 0
    try:
        history = selectors_portal.entity_history(credit_code, page=number)
    except InvalidInput as exc:
        return render(request, "portal/decisions/entity.html",
                      {"credit_code": credit_code, "error": exc.message}, status=400)
    except NotFound:
        return render(request, "portal/decisions/entity.html",
                      {"credit_code": credit_code, "not_found": True}, status=404)
    return render(request, "portal/decisions/entity.html",
                  {"credit_code": history.credit_code, "history": history,
                   "pager": _pager(request, history.page)})
