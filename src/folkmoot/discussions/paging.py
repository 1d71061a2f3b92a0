"""Page numbers and pagers: what `?page=N` means, which links a pager shows, and the keys a
category page's "Next" and "Previous" links carry (`&after=` / `&before=` a topic's place in
the list), so that following them neither skips nor repeats a topic when topics are added or
bumped between two requests."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.http import Http404


@dataclass(frozen=True)
class PageWindow:
    number: int
    page_count: int
    # The list keys of the page's last and first items, for the "Next" and "Previous" links
    # (category pages; empty where the pager links by number alone).
    next_after: str = ""
    previous_before: str = ""
    # Whether anything follows this page, where the list was asked (a page reached by key
    # may carry a number the list's count no longer reaches, or fall short of it).
    more: bool | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count if self.more is None else self.more

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_query(self) -> str:
        """The "Previous" link's query: before this page's first item where the window has
        its key; page 1 by number, so that it is always the list's top."""
        query = f"page={self.previous_number}"
        if self.previous_before and self.previous_number > 1:
            query += f"&before={self.previous_before}"
        return query

    @property
    def next_query(self) -> str:
        """The "Next" link's query: after this page's last item where the window has its key."""
        query = f"page={self.next_number}"
        if self.next_after:
            query += f"&after={self.next_after}"
        return query

    @property
    def links(self) -> list[int | None]:
        """The page numbers the pager shows: the first, the last, the current page and two
        either side; None where pages are left out. At most nine, however long the list."""
        shown = {
            1,
            self.page_count,
            *range(self.number - WINDOW_RADIUS, self.number + WINDOW_RADIUS + 1),
        }
        numbers = sorted(n for n in shown if 1 <= n <= self.page_count)
        links: list[int | None] = []
        for n in numbers:
            if links and n - links[-1] == 2:
                links.append(n - 1)  # a gap of one page: show it rather than "…"
            elif links and n - links[-1] > 2:
                links.append(None)
            links.append(n)
        return links


# How many page links the pager shows either side of the current page.
WINDOW_RADIUS = 2


# ASCII digits only: str.isdigit() and int() also take "²" and "٣", and int() refuses more
# than 4,300 digits. No page number needs more than 9.
PAGE_NUMBER = re.compile(r"[0-9]+")
PAGE_NUMBER_MAX_DIGITS = 9


def canonical_page_number(text: str) -> int | None:
    """The page `text` names if it is that page's one spelling (digits, no leading zero, at
    most PAGE_NUMBER_MAX_DIGITS), else None. page_window accepts more ("02"); the page cache
    keys only this spelling."""
    if PAGE_NUMBER.fullmatch(text) and text[0] != "0" and len(text) <= PAGE_NUMBER_MAX_DIGITS:
        return int(text)
    return None


def page_window(*, requested: str | None, item_count: int, per_page: int) -> PageWindow:
    """Parse ?page=N. Not a number (or 0) is a 404; past the end is the last page."""
    page_count = max(1, -(-item_count // per_page))
    if requested in (None, ""):
        return PageWindow(1, page_count)
    if not PAGE_NUMBER.fullmatch(requested) or not requested.strip("0"):
        raise Http404("No such page.")
    if len(requested.lstrip("0")) > PAGE_NUMBER_MAX_DIGITS:
        return PageWindow(page_count, page_count)
    return PageWindow(min(int(requested), page_count), page_count)


def offset(window: PageWindow, per_page: int) -> slice:
    start = (window.number - 1) * per_page
    return slice(start, start + per_page)


# --- list keys --------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# "pinned.microseconds-since-1970.id", one spelling each: the page cache keys keyset pages by
# it (page_cache._canonical_query).
LIST_KEY = re.compile(r"[01]\.(0|[1-9][0-9]{0,17})\.[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class ListKey:
    """A topic's place in its category's list (queries.CATEGORY_ORDER): pinned first, then
    the latest post, then the id."""

    is_pinned: bool
    last_posted_at: datetime
    id: int

    @classmethod
    def of(cls, topic) -> "ListKey":
        return cls(topic.is_pinned, topic.last_posted_at, topic.pk)

    def __str__(self) -> str:
        microseconds = (self.last_posted_at - _EPOCH) // _MICROSECOND
        return f"{int(self.is_pinned)}.{microseconds}.{self.id}"

    @classmethod
    def parse(cls, text: str) -> "ListKey":
        """A key as `str()` spells it; anything else is a 404, like a page number that is not
        one."""
        if not LIST_KEY.fullmatch(text):
            raise Http404("No such page.")
        pinned, microseconds, pk = text.split(".")
        try:
            when = _EPOCH + int(microseconds) * _MICROSECOND
        except OverflowError:
            raise Http404("No such page.") from None
        return cls(pinned == "1", when, int(pk))
