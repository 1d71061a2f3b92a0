"""Markup drawn once with digit stand-ins for its values, then filled in for each use.

Row patterns (discussions/stamps.py) and the layout's slotted stamps (template_filters.py) both
render a template with a stand-in for each value and keep the result; this turns that markup
into a %-pattern, and fills it with values the caller has escaped.
"""

import re

from django.utils.safestring import SafeString


class StandInMarkup:
    """`html` with each match of `stand_in` (group 1: the slot's index) made a field: a
    %-pattern, and the slots' indexes in the order its fields take them (a slot may be used
    any number of times, or not at all)."""

    def __init__(self, html: str, stand_in: re.Pattern):
        parts = stand_in.split(html)
        self.pattern = "%s".join(part.replace("%", "%%") for part in parts[0::2])
        self.order = tuple(int(part) for part in parts[1::2])

    def fill(self, values: tuple) -> SafeString:
        # Our template's output, every value escaped by the caller. (SafeString, not
        # mark_safe(): that checks its argument for laziness, ~1 us a call.)
        return SafeString(self.pattern % values)
