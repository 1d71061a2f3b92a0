"""The language of each page: a signed-in member's choice (their account setting), else the
language a reader picked in the footer's menu (Django's `set_language` view, a cookie), else
the site's (FOLKMOOT_LANGUAGE).

The browser's Accept-Language is not consulted: a forum has the language its community writes
in, and a reader who wants the interface in another picks it once. So every anonymous reader
of a page sees one of a handful of versions, named by the cookie alone, which the page cache
keys on (discussions/page_cache.py) and shared caches tell apart by `Vary: Cookie`.
"""

from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from folkmoot.accounts.language import is_offered


def chosen_language(request) -> str:
    """The language this request's page is in (a code from settings.LANGUAGES)."""
    try:
        member_language = request.user.is_authenticated and request.user.language
    except DatabaseError:
        member_language = ""  # the view meets the same fault and answers it (faults.middleware)
    if is_offered(member_language):
        return member_language
    return anonymous_language(request)


def anonymous_language(request) -> str:
    """The language of a reader who is not signed in: the footer's pick, else the site's.
    Needs no request.user, so the page cache (discussions/page_cache.py) can name the copy to
    serve before authentication runs."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if is_offered(cookie) else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """After AuthenticationMiddleware. Anonymous requests cost nothing: without a session
    cookie, asking who is signed in reads nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


@require_safe
def choose_language(request):
    """The footer's language menu: a form posting to Django's set_language (which keeps the
    pick in a cookie and goes back to `next`), on a page of its own, never cached, so the
    form carries this reader's CSRF token. A member whose account names a language is sent to
    change it there, where it applies on every device."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("index")
    member_language = request.user.is_authenticated and is_offered(request.user.language)
    context = {"next_url": next_url, "member_language": member_language}
    return render(request, "language.html", context)
