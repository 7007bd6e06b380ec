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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def paginate(qs, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> PageOf:
    if page < 1:
        raise InvalidInput("invalid_page", _("Pages are numbered from 1."), field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput("invalid_page_size", _("page_size must be between 1 and %(max)d.")
                           % {"max": MAX_PAGE_SIZE}, field="page_size")
    total = qs.count()
    start = (page - 1) * page_size
    return PageOf(items=list(qs[start:start + page_size]), total=total, page=page, page_size=page_size)
