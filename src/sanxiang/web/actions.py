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
