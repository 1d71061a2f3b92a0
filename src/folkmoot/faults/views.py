"""The designed error page: what happened, whether anything was saved, and the user's text.

It extends the site's layout but reads nothing from the database (no signed-in name, no
messages), so it renders while the database is down. Requests from the editor's fetch() calls
get the same message as JSON.
"""

import logging
import sys

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .classify import Fault, classify, raised_after_commit

logger = logging.getLogger(__name__)

# Form fields whose text the user typed, shown in the page to copy or send again, with labels.
TYPED_FIELDS = {
    "title": gettext_lazy("Title"),
    "body": gettext_lazy("Your text"),
    "reason": gettext_lazy("Reason"),
}
# Never echoed back into a page.
SECRET_FIELDS = ("csrfmiddlewaretoken", "password")


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return True
    return request.content_type == "application/json"


def _when(seconds: int) -> str:
    if seconds < 30:
        return _("in a few seconds")
    if seconds <= 60:
        return _("in a minute")
    return _("in a few minutes")


def _submitted_fields(request) -> list[tuple[str, str]]:
    """The form fields the failed request carried (a write's form, not a fetch's JSON)."""
    if request.method != "POST" or wants_json(request):
        return []
    try:
        fields = list(request.POST.lists())
    except Exception:  # the body could not be read again: nothing to show
        return []
    return [
        (name, value)
        for name, values in fields
        if not any(secret in name for secret in SECRET_FIELDS)
        for value in values
    ]


def _explanation(
    request, fault: Fault | None, *, typed: frozenset = frozenset()
) -> tuple[str, str]:
    """(headline, the sentences under it), given the names of the typed fields kept."""
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    has_text = bool(typed)
    # Translators: completes "The forum could not save …".
    what = _("your post") if "body" in typed else _("your changes")
    if fault is None:
        if writing:
            return (
                _("Something went wrong"),
                _(
                    "The forum could not finish saving %(what)s: something went wrong on our "
                    "side. It may or may not have been saved, so look before sending it again."
                )
                % {"what": what}
                + (" " + _("Your text is below.") if has_text else ""),
            )
        return (
            _("Something went wrong"),
            _(
                "The forum could not show this page: something went wrong on our side. "
                "Try again later; if it keeps happening, tell the forum's administrators."
            ),
        )
    when = _when(fault.retry_after)
    if writing:
        return (
            _("Your post was not saved") if "body" in typed else _("Your changes were not saved"),
            _("The forum could not save %(what)s because %(because)s. Nothing was saved.")
            % {"what": what, "because": fault.because}
            + " "
            + (
                _("Your text is below: copy it, or send it again %(when)s.") % {"when": when}
                if has_text
                else _("Try again %(when)s.") % {"when": when}
            ),
        )
    return (
        _("This page is unavailable for a moment"),
        _("The forum could not show this page because %(because)s. Try again %(when)s.")
        % {"because": fault.because, "when": when},
    )


def _saved_anyway(request, fault: Fault | None) -> HttpResponse:
    """The write was committed and only what follows it failed: say it was saved."""
    because = fault.because if fault else _("something went wrong on our side")
    sentences = _(
        "The forum saved what you sent, but could not finish what follows because %(because)s. "
        "Do not send it again: reload the page to see it."
    ) % {"because": because}
    if wants_json(request):
        return JsonResponse({"saved": True, "error": sentences}, status=200)
    context = {"headline": _("Saved"), "sentences": sentences, "typed": [], "others": []}
    return render(request, "faults/fault.html", context)


def fault_response(request, fault: Fault | None, *, committed: bool = False) -> HttpResponse:
    if committed:
        return _saved_anyway(request, fault)
    status = fault.status if fault else 500
    if wants_json(request):
        _, sentences = _explanation(request, fault)
        response = JsonResponse({"error": sentences}, status=status)
    else:
        fields = _submitted_fields(request)
        typed = [(name, TYPED_FIELDS[name], text) for name, text in fields if name in TYPED_FIELDS]
        others = [(name, value) for name, value in fields if name not in TYPED_FIELDS]
        headline, sentences = _explanation(
            request, fault, typed=frozenset(name for name, _, _ in typed)
        )
        context = {
            "headline": headline,
            "sentences": sentences,
            "typed": typed,
            "others": others,
            "can_resend": bool(typed) and fault is not None,
        }
        response = render(request, "faults/fault.html", context, status=status)
    if fault:
        response["Retry-After"] = str(fault.retry_after)
    return response


def server_error(request):
    """handler500: whatever escaped the views and middleware, on the designed page."""
    error = sys.exc_info()[1]
    try:
        if error is None:
            return fault_response(request, None)
        return fault_response(request, classify(error), committed=raised_after_commit(error))
    except Exception:  # the page itself failed: the plainest answer there is
        logger.exception("The error page could not be rendered")
        return HttpResponseServerError(
            "<!doctype html><title>Server error</title><h1>Server error</h1>"
            "<p>Something went wrong on our side. Try again later.</p>"
        )


# allauth's limits (sign-in, sign-up, password reset) count per minute at the shortest; the
# page says when to try again, and Retry-After says it to scripts.
ACCOUNT_LIMIT_RETRY_SECONDS = 60


def too_many_requests(request):
    """handler429 (allauth calls it for its rate limits): the designed page, with when to retry."""
    response = render(
        request, "429.html", {"retry_when": _when(ACCOUNT_LIMIT_RETRY_SECONDS)}, status=429
    )
    response["Retry-After"] = str(ACCOUNT_LIMIT_RETRY_SECONDS)
    return response
