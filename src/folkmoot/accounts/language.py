"""The language a member reads in: the one they chose, or the site's (settings.LANGUAGE_CODE).

Whatever is written for one member outside their own request (an email, a notice) is written
under `in_language_of(member)`: the request that causes it is someone else's, in their
language, and the worker has none."""

from functools import wraps

from django.conf import settings
from django.utils import translation

_OFFERED = frozenset(code for code, _name in settings.LANGUAGES)


def language_of(member) -> str:
    """A code from settings.LANGUAGES. A guest (None) or a member who chose none: the site's."""
    return _offered_or_site(getattr(member, "language", "") or "")


def in_language_of(member) -> translation.override:
    return translation.override(language_of(member))


def in_language(code: str) -> translation.override:
    """A language code as stored on a member (blank: the site's)."""
    return translation.override(_offered_or_site(code))


def is_offered(code: str) -> bool:
    """Whether the site offers this language code (settings.LANGUAGES)."""
    return code in _OFFERED


def _offered_or_site(code: str) -> str:
    return code if is_offered(code) else settings.LANGUAGE_CODE


def written_for(recipient_of):
    """Decorates a function that writes to one person (an email): it runs in their language.
    `recipient_of` gets the function's arguments and returns the member, or None for a guest
    (the site's language)."""

    def decorate(write):
        @wraps(write)
        def in_their_language(*args, **kwargs):
            with in_language_of(recipient_of(*args, **kwargs)):
                return write(*args, **kwargs)

        return in_their_language

    return decorate
