"""Rows drawn from patterns: a row template rendered once per shape, values filled per row.

A list page (a topic's posts, a category's topics) shows the same few row shapes over and
over; rendering the row template for each costs most of the page. Instead the template is
rendered once per shape (the flags that change its markup, the reader's language) with a
placeholder for every per-row value, kept in this process (it holds no data, only markup and
translations), and each row fills the placeholders in with values escaped once by the caller.
"""

import re
from collections.abc import Callable
from operator import itemgetter

from django.template.loader import get_template
from django.utils.safestring import SafeString

from folkmoot.memo import Memo
from folkmoot.stand_ins import StandInMarkup

# Placeholders are digits: they pass through escaping, urlencode and the URL patterns'
# <int:...> converters unchanged, and no template or translation contains them.
_PLACEHOLDER = "90817{:03d}62534"
_PLACEHOLDER_RE = re.compile(r"90817(\d{3})62534")
_MAX_STAMPS = 500  # a pattern is 1-10 KB; a forum uses a few dozen per kind of row


class Stamp:
    """A row rendered with placeholders, and the slots its fields name in order (filling a
    %-pattern: ~2.5 us a post row, against ~7 for str.format_map reading each name)."""

    def __init__(self, html: str, slots: list[str]):
        self.markup = StandInMarkup(html, _PLACEHOLDER_RE)
        names = [slots[index] for index in self.markup.order]
        self.used = frozenset(names)
        # A tuple of the values in the pattern's order (itemgetter of one name gives the value
        # itself, of none an empty tuple: both wrapped).
        if len(names) == 1:
            self._values = lambda values, getter=itemgetter(names[0]): (getter(values),)
        elif names:
            self._values = itemgetter(*names)
        else:
            self._values = lambda values: ()

    def uses(self, name: str) -> bool:
        return name in self.used

    def fill(self, values: dict) -> SafeString:
        return self.markup.fill(self._values(values))


class Stamps:
    """One row template's patterns, by shape."""

    def __init__(self, template_name: str, slots: list[str]):
        self.template_name = template_name
        self.slots = slots
        self._stamps = Memo(_MAX_STAMPS, kept_while_debugging=False)

    def slot(self, name: str) -> str:
        """The placeholder standing for `name` in the row template's context."""
        return _PLACEHOLDER.format(self.slots.index(name))

    def get(self, shape, context: Callable[[], dict]) -> Stamp:
        """The pattern for this shape (hashable), rendering `context()` the first time."""
        return self._stamps.get(
            shape,
            lambda: Stamp(get_template(self.template_name).render(context()), self.slots),
        )
