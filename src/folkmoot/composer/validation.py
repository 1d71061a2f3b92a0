"""Checks every post body passes, whether it came from the editor, a plain form or the API."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .emoji import count_emoji


def emoji_limit_message(limit: int) -> str:
    return _("Only %(limit)s emoji are allowed.") % {"limit": limit}


def validate_post_body(body: str) -> str:
    """Return the body with newlines normalised and blank space around it stripped, or raise
    ValidationError. (Browsers post textareas with CRLF line endings.)"""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    limits = settings.FOLKMOOT
    if not body:
        raise ValidationError(_("Write something before posting."), code="empty")
    if len(body) > limits["POST_MAX_LENGTH"]:
        raise ValidationError(
            _("Posts can be at most %(max)s characters long (this one has %(length)s).")
            % {
                "max": number_format(limits["POST_MAX_LENGTH"], force_grouping=True),
                "length": number_format(len(body), force_grouping=True),
            },
            code="too_long",
        )
    if count_emoji(body) > limits["EMOJI_MAX"]:
        raise ValidationError(emoji_limit_message(limits["EMOJI_MAX"]), code="too_many_emoji")
    return body


def validate_title(title: str) -> str:
    title = " ".join(title.split())
    max_length = settings.FOLKMOOT["TITLE_MAX_LENGTH"]
    if len(title) < 3:
        raise ValidationError(_("Give the topic a title of at least 3 characters."), code="short")
    if len(title) > max_length:
        raise ValidationError(
            _("Titles can be at most %(max)s characters long.") % {"max": max_length},
            code="too_long",
        )
    return title
