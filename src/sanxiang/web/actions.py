"""Running a service from a staff form (表单提交): one place for how its errors reach the page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

from sanxiang.core.errors import DomainError, NotFound

#: Statuses a refused action keeps on the page shown again; any other domain error shows as 400.
PAGE_STATUSES = (400, 403, 409, 413)


def status_of(err: DomainError) -> int:
    """The status of the page that shows `err` beside the form."""
    return err.status if err.status in PAGE_STATUSES else 400


def submit(form, action: Callable[[], object]) -> int | None:
    """Run `action()` for a valid bound `form`. None when it succeeded; otherwise the status of the
    page to show again — 400 for an invalid form, or the domain error's (the error is put on the
    form). Something outside the viewer's scope (`NotFound`) is a 404 page."""
    if not form.is_valid():
        return 400
    try:
        action()
    except NotFound:
        raise Http404 from None
    except DomainError as err:
        form.add_domain_error(err)
        return status_of(err)
    return None


def submit_answer_or_verdict(form, ids: dict, *, answer: tuple | None, accept: tuple,
                             give_back: tuple) -> tuple[int | None, str | None]:
    """One step of a report-and-review exchange (报告与审核: notices, rectifications) from its form.

    `answer` — `(service, field, message)` — for the answering form: `service(**ids, field=…)`.
    Otherwise the review form's `verdict` picks `accept` or `give_back` — `(service, message)` —
    called with its `comment`. Returns `submit`'s status and, on success, the message to show.
    """
    done = []

    def act():
        data = form.cleaned_data
        if answer is not None:
            service, field, message = answer
            service(**ids, **{field: data[field]})
        else:
            service, message = accept if data["verdict"] == "accept" else give_back
            service(**ids, comment=data["comment"])
        done.append(message)

    status = submit(form, act)
    return status, (done[0] if done else None)
