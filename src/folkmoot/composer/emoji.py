"""The emoji rule, the same in the browser (frontend/src/emoji.js) and here.

Every emoji counts one: a grapheme cluster that is an emoji (ZWJ sequences, flags, keycaps and
skin tones are single graphemes), and each `:shortcode:` emoticon.
tests/data/emoji_counts.json holds the cases both implementations must agree on.
"""

from functools import cache


@cache
def _patterns():
    """Compiled at the first count: `regex` (~2 MiB) is loaded only by processes that take
    posts, not by every web process at start."""
    import regex

    return (
        regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3"),  # an emoji grapheme
        regex.compile(r"(?<![A-Za-z0-9_:]):[a-z0-9_+\-]+:(?![A-Za-z0-9_:])"),  # a :shortcode:
        regex.compile(r"\X"),  # a grapheme
    )


def count_emoji(text: str) -> int:
    emoji_grapheme, shortcode, grapheme = _patterns()
    graphemes = sum(1 for g in grapheme.findall(text) if emoji_grapheme.search(g))
    return graphemes + len(shortcode.findall(text))
