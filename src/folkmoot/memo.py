"""Values that are a function of their key alone, kept in the process that made them.

Markup without data (row patterns, the layout's fixed parts), addresses, texts made from a
post's HTML: each is the same for the same key for as long as the code is, so it never goes
stale and needs no invalidating. Only its number is bounded: past it, the memo starts again
from nothing (what pages ask for is back within a request or two) rather than keep an order
of eviction.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

Value = TypeVar("Value")
_MISSING = object()


class Memo:
    def __init__(self, size: int, *, kept_while_debugging: bool = True):
        """`kept_while_debugging=False`: nothing is kept under DEBUG, for values made from
        templates, which change under a running development server."""
        self._size = size
        self._kept_while_debugging = kept_while_debugging
        self._values: dict = {}

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value kept for `key`, else `make()`'s (kept for next time)."""
        value = self._values.get(key, _MISSING)
        if value is _MISSING:
            value = make()
            if self._kept_while_debugging or not settings.DEBUG:
                if len(self._values) >= self._size:
                    self._values.clear()
                self._values[key] = value
        return value
