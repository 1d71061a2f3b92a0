"""A category page's topic rows, drawn from patterns (discussions/stamps.py).

Rendering the row template for each of a page's 30 topics cost most of the page. The row
differs from topic to topic in a few flags (pinned, locked, unread, a last post, by a guest,
the plural form of its reply count), and in the reader's language: the template is rendered
once per such shape, and each topic fills in its own values, escaped here once each.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.template import defaultfilters
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from folkmoot.template_filters import iso_datetime

from . import stamps

_STAMPS = stamps.Stamps(
    "discussions/_topic_row.html",
    [
        *("pk", "url", "title", "author_name", "created_iso", "created_day", "replies_shown"),
        *("avatar_class", "initial", "last_name", "last_url", "last_iso", "last_natural"),
    ],
)


@dataclass(frozen=True)
class _RowShape:
    """What makes one topic's row differ from another's beyond the values filled in."""

    language: str
    pinned: bool
    locked: bool
    unread: bool
    has_last_post: bool
    guest_poster: bool
    # The reply count's sentence in the reader's language, chosen by the count: rows whose
    # counts take the same plural form share a pattern.
    replies_form: str


def topic_rows(topics, *, unread_ids: set[int]) -> list[SafeString]:
    """Each topic's row (topics with `author` and `last_post__author` loaded)."""
    language = translation.get_language()
    guest = gettext("Guest")
    day_format = gettext("j M Y")
    rows = []
    for topic in topics:
        replies = topic.post_count - 1
        last_post = topic.last_post
        poster = last_post.author if last_post else None
        shape = _RowShape(
            language=language,
            pinned=topic.is_pinned,
            locked=topic.is_locked,
            unread=topic.pk in unread_ids,
            has_last_post=last_post is not None,
            guest_poster=last_post is not None and poster is None,
            replies_form=ngettext("%(shown)s reply", "%(shown)s replies", replies),
        )
        created = template_localtime(topic.created_at)  # as the template's filters take it
        last_posted = topic.last_posted_at
        values = {
            "pk": str(topic.pk),
            "url": escape(topic.get_absolute_url()),
            "title": escape(topic.title),
            "author_name": escape((topic.author.display_name if topic.author else "") or guest),
            "created_iso": escape(iso_datetime(created)),
            "created_day": escape(defaultfilters.date(created, day_format)),
            # intcomma groups digits per language from 1,000 on.
            "replies_shown": str(replies) if 0 <= replies < 1000 else escape(intcomma(replies)),
            "avatar_class": escape(poster.avatar_class) if poster else "",
            "initial": escape(poster.initial) if poster else "",
            "last_name": escape((poster.display_name if poster else "") or guest),
            "last_url": escape((last_post or topic).get_absolute_url()),
            "last_iso": escape(iso_datetime(template_localtime(last_posted))),
            "last_natural": escape(naturaltime(last_posted)),
        }
        stamp = _STAMPS.get(shape, lambda: _row_context(shape, replies))  # noqa: B023
        rows.append(stamp.fill(values))
    return rows


def _row_context(shape: _RowShape, replies: int) -> dict:
    """The row template's context, every per-topic value a placeholder."""
    # The count itself picks the plural form (the shape's), its digits are a placeholder.
    return {
        "row": SimpleNamespace(
            pinned=shape.pinned,
            locked=shape.locked,
            unread=shape.unread,
            has_last_post=shape.has_last_post,
            guest_poster=shape.guest_poster,
            replies=replies,
        ),
        "topic": SimpleNamespace(**{name: _STAMPS.slot(name) for name in _STAMPS.slots}),
    }
