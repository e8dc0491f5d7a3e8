"""Bounded lists. Every list that grows with the store's history is read a page at a time:

- `page_of()`: Django's Paginator (one COUNT, one LIMIT/OFFSET read) for the lists that show
  "page 2 of 7" — the open conversations, customers, a customer's or a project's history;
- `window()`: a capped slice without a COUNT, for search results and the home page, where counting
  every match would cost more than showing the first ones: it reads one row more than it shows to
  know whether a "more" link is needed.

Both take the page number from the query string; the page links (`{% page_url %}` in
`aos_tags`) keep the rest of the query string, so a search or another list's page survives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25
# Far enough for any person clicking "more"; stops a crafted ?page=10**9 from asking for an
# OFFSET the database has to walk.
MAX_PAGE = 1000


def page_number(value) -> int:
    """A page number from the query string: 1 for anything missing or malformed."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class CappedPaginator(Paginator):
    """A Paginator over an ordered queryset that counts at most `cap` + 1 rows (`SELECT COUNT(*)
    FROM (SELECT key … LIMIT cap + 1)`, the key alone, so no annotation is computed for the count),
    for a list that grows with the whole store's history: counting a million customers on every
    page view costs more than the page. Past the cap the list shows the first `cap` rows, says
    "of 40+" (`capped`), and a search narrows it."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        return self.object_list.values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap


def page_of(request, items, *, param: str = "page", per_page: int = PAGE_SIZE, cap: int | None = None) -> Page:
    """Page `request.GET[param]` of `items` (an ordered queryset). Out-of-range or malformed page
    numbers give the nearest page, never an error. The page remembers its query parameter, for the
    page links of a page that shows several lists. With `cap`, at most that many rows are counted
    (`CappedPaginator`)."""
    paginator = Paginator(items, per_page) if cap is None else CappedPaginator(items, per_page, cap=cap)
    page = paginator.get_page(page_number(request.GET.get(param)))
    page.param = param
    return page


@dataclass(frozen=True)
class Window:
    """One capped window of a list: `rows`, its 1-based `number`, and whether more follow."""

    rows: list[Any]
    number: int
    has_more: bool

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.has_more else None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)


def window(items, *, size: int, number: int = 1) -> Window:
    """Rows `size * (number - 1)` to `size * number` of `items` (anything sliceable: a queryset, the
    catalog's cached search), reading `size + 1` rows to tell whether there are more."""
    number = page_number(number)
    start = (number - 1) * size
    rows = list(items[start : start + size + 1])
    return Window(rows=rows[:size], number=number, has_more=len(rows) > size)
