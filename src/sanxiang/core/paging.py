"""Pagination (分页) as API.md fixes it: `page` from 1, `page_size` default 20, at most 100."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sanxiang.core.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageOf:
    items: list
    total: int
    page: int
    page_size: int
    #: `total` is a lower bound: counting stopped at the cap (see `paginate`).
    total_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def check_page(page: int, page_size: int) -> None:
    """400 for a page below 1 or a page size outside 1…`MAX_PAGE_SIZE`."""
    if page < 1:
        raise InvalidInput("invalid_page", _("Pages are numbered from 1."), field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput("invalid_page_size", _("page_size must be between 1 and %(max)d.")
                           % {"max": MAX_PAGE_SIZE}, field="page_size")


def paginate(qs, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE, *, count_cap: int | None = None,
             count_qs=None) -> PageOf:
    """Page `page` of `qs`. With `count_cap`, counting stops after `count_cap` rows (`total` is then
    `count_cap` and `total_capped` true) and no page beyond the cap is served: a broad public
    search stays fast however many rows match. `count_qs`: the same rows in a form cheaper to
    count (default `qs`)."""
    check_page(page, page_size)
    start = (page - 1) * page_size
    counted = qs if count_qs is None else count_qs
    if count_cap is None:
        total, capped = counted.count(), False
    else:
        total = counted.order_by()[:count_cap + 1].count()
        capped = total > count_cap
        total = min(total, count_cap)
        if start >= count_cap:
            return PageOf(items=[], total=total, page=page, page_size=page_size, total_capped=capped)
    end = start + page_size if count_cap is None else min(start + page_size, count_cap)
    return PageOf(items=list(qs[start:end]), total=total, page=page, page_size=page_size, total_capped=capped)
