"""What members are told about others' doings with their posts: reacted to, recommended,
quoted, mentioned. Called after commit by events.py; each notice is one call to the
notifications app (which drops the actor, inactive members, those whose preferences turn the
kind off, and everyone when the post may not be seen)."""

from django.utils.translation import gettext_noop

from folkmoot.notifications import kinds
from folkmoot.notifications.services import notify

from .models import Post


def reacted(*, post: Post, actor) -> None:
    """The post's author: `actor` reacted to it."""
    notify(kinds.REACTED, recipients=[post.author_id], post=post, actor=actor)


def recommended(*, post: Post, actor, note: str) -> None:
    """The post's author: a moderator recommended it."""
    notify(kinds.RECOMMENDED, recipients=[post.author_id], post=post, actor=actor, note=note)


def nomination_decided(*, post: Post, recipients: list, actor, recommended: bool) -> None:
    """The members who nominated `post`: a moderator recommended it, or dismissed that."""
    # Stored in English; the notification shows it translated for its reader.
    note = (
        gettext_noop("The moderators recommended the post you nominated.")
        if recommended
        else gettext_noop(
            "The moderators read your nomination and did not recommend the post this time."
        )
    )
    notify(kinds.NOMINATION_OUTCOME, recipients=recipients, post=post, actor=actor, note=note)


def quoted(*, post: Post, recipients: list, actor) -> None:
    """The authors of the posts `post` quotes."""
    notify(kinds.QUOTED, recipients=recipients, post=post, actor=actor)


def mentioned(*, post: Post, recipients: list, actor) -> None:
    """Members `post` newly mentions, who may see it."""
    notify(kinds.MENTIONED, recipients=recipients, post=post, actor=actor)
