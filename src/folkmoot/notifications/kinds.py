"""The kinds of notification, each with the label a member reads (the list page, the
preferences, the email's subject). Feature apps raise theirs through `services.notify`."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REPLY = "reply"  # a reply in a followed topic
NEW_TOPIC = "new_topic"  # a new topic in a followed category
FOLLOWED_MEMBER = "followed_member"  # new content by a followed member
QUOTED = "quoted"
MENTIONED = "mentioned"
REACTED = "reacted"
RECOMMENDED = "recommended"
NOMINATION_OUTCOME = "nomination_outcome"  # moderators decided on a post you nominated
APPROVED = "approved"  # your held post was published by a moderator
REJECTED = "rejected"  # your held post was not approved
REPORT_OUTCOME = "report_outcome"  # a moderator decided on what you reported
WARNED = "warned"  # a moderator warned you

LABELS: dict = {
    REPLY: _("Reply in a topic you follow"),
    NEW_TOPIC: _("New topic in a category you follow"),
    FOLLOWED_MEMBER: _("New post by a member you follow"),
    QUOTED: _("Someone quoted you"),
    MENTIONED: _("Someone mentioned you"),
    REACTED: _("Someone reacted to your post"),
    RECOMMENDED: _("Your post was recommended"),
    NOMINATION_OUTCOME: _("Outcome of your nomination"),
    APPROVED: _("Your post was approved"),
    REJECTED: _("Your post was not approved"),
    REPORT_OUTCOME: _("Outcome of your report"),
    WARNED: _("A moderator warned you"),
}

CHOICES = list(LABELS.items())

# Raised for what a member follows: how they hear of it is the follow's delivery choice.
FOLLOW_KINDS = frozenset({REPLY, NEW_TOPIC, FOLLOWED_MEMBER})

# About the recipient's own post or account: told even when the post is not (or no longer)
# published, since it is theirs (a rejected post is hidden; a warning may concern a hidden one).
ABOUT_RECIPIENT = frozenset({APPROVED, REJECTED, REPORT_OUTCOME, WARNED})

# What a member who ignores the actor is not told of (accounts.models.Ignore).
SILENCED_BY_IGNORING = frozenset({QUOTED, MENTIONED})

# Kinds emailed instantly unless the member turns the email off. Approval and rejection are
# already emailed by discussions/emails.py (with the rejected text); reactions and
# recommendations are too frequent to email by default.
EMAILED_BY_DEFAULT = frozenset({QUOTED, MENTIONED, REPORT_OUTCOME, WARNED})


def label(kind: str) -> str:
    return str(LABELS.get(kind, kind))


def shown_note(kind: str, note: str) -> str:
    """A notification's note in the reader's language: a report's outcome is stored in English
    (one row per reporter, each reading in their own language); other notes as written."""
    return gettext(note) if note and kind == REPORT_OUTCOME else note
