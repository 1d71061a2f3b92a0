"""A Refusal (folkmoot.refusal) turned into the answer, here and nowhere else.

- the editor's fetch() requests and other JSON clients: {"error": message} with the status;
- a form page: the view's own form, rendered again with the user's text in it and the
  message beside its field (or above the form);
- NotFound: a 404, whatever the request;
- a refusal no view rendered a form for: the designed fault page (faults.views), which keeps
  the user's typed text the same way it does for a database fault.

Retry-After goes on every answer to a refusal that carries one.
"""

from collections.abc import Callable

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from folkmoot.refusal import NotFound, Refusal, TooMany

from .views import TYPED_FIELDS, _submitted_fields, wants_json


def _with_retry_after(response: HttpResponse, refusal: Refusal) -> HttpResponse:
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def refusal_json(refusal: Refusal) -> JsonResponse:
    response = JsonResponse({"error": refusal.message}, status=refusal.status)
    return _with_retry_after(response, refusal)


def refusal_response(
    request,
    refusal: Refusal,
    *,
    form=None,
    render_form: Callable[..., HttpResponse] | None = None,
    above_form: bool = True,
) -> HttpResponse:
    """The answer to a refused request. `render_form(status=..., refusal=message)` renders the
    view's page with `form` (which keeps what the user typed) after the message is put on it:
    beside its field, or for a rate limit above the form (where the page has room for it,
    `above_form`), or else among the form's own errors."""
    if isinstance(refusal, NotFound):
        raise Http404(refusal.message)
    if wants_json(request):
        return refusal_json(refusal)
    if render_form is None:
        return _with_retry_after(_refused_page(request, refusal), refusal)
    shown_above = None
    field = refusal.field if form is not None and refusal.field in form.fields else None
    if form is None or (field is None and above_form and isinstance(refusal, TooMany)):
        shown_above = refusal.message
    else:
        form.add_error(field, refusal.message)
    return _with_retry_after(render_form(status=refusal.status, refusal=shown_above), refusal)


def _refused_page(request, refusal: Refusal) -> HttpResponse:
    fields = _submitted_fields(request)
    typed = [(name, TYPED_FIELDS[name], text) for name, text in fields if name in TYPED_FIELDS]
    context = {
        "headline": _("Not accepted"),
        "sentences": refusal.message + (" " + _("Your text is below.") if typed else ""),
        "typed": typed,
        "others": [(name, value) for name, value in fields if name not in TYPED_FIELDS],
        "can_resend": False,
    }
    return render(request, "faults/fault.html", context, status=refusal.status)
