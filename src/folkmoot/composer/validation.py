"""Checks every post body passes, whether it came from the editor, a plain form or the API."""

from django.conf import settings
from django.core.exceptions import ValidationError

from .emoji import count_emoji


def emoji_limit_message(limit: int) -> str:
    return f"Only {limit} emoji are allowed."


def validate_post_body(body: str) -> str:
    """Return the body with newlines normalised and blank space around it stripped, or raise
    ValidationError. (Browsers post textareas with CRLF line endings.)"""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    limits = settings.FOLKMOOT
    if not body:
        raise ValidationError("Write something before posting.", code="empty")
    if len(body) > limits["POST_MAX_LENGTH"]:
        raise ValidationError(
            f"Posts can be at most {limits['POST_MAX_LENGTH']:,} characters long "
            f"(this one has {len(body):,}).",
            code="too_long",
        )
    if count_emoji(body) > limits["EMOJI_MAX"]:
        raise ValidationError(emoji_limit_message(limits["EMOJI_MAX"]), code="too_many_emoji")
    return body


def validate_title(title: str) -> str:
    title = " ".join(title.split())
    max_length = settings.FOLKMOOT["TITLE_MAX_LENGTH"]
    if len(title) < 3:
        raise ValidationError("Give the topic a title of at least 3 characters.", code="short")
    if len(title) > max_length:
        raise ValidationError(
            f"Titles can be at most {max_length} characters long.", code="too_long"
        )
    return title
