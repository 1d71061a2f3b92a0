"""The emoji rule, the same in the browser (frontend/src/emoji.js) and here.

Every emoji counts one: a grapheme cluster that is an emoji (ZWJ sequences, flags, keycaps and
skin tones are single graphemes), and each `:shortcode:` emoticon.
tests/data/emoji_counts.json holds the cases both implementations must agree on.
"""

import regex

_EMOJI_GRAPHEME = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3")
_SHORTCODE = regex.compile(r"(?<![A-Za-z0-9_:]):[a-z0-9_+\-]+:(?![A-Za-z0-9_:])")
_GRAPHEME = regex.compile(r"\X")


def count_emoji(text: str) -> int:
    graphemes = sum(1 for g in _GRAPHEME.findall(text) if _EMOJI_GRAPHEME.search(g))
    return graphemes + len(_SHORTCODE.findall(text))
