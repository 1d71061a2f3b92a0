from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from folkmoot import client_address
from folkmoot.moderation import limits
from folkmoot.moderation.limits import LimitExceeded

from . import queries
from .forms import SearchForm
from .syntax import QueryError, parse


def _refused(error: LimitExceeded, response):
    response.status_code = 429
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


@require_safe
def search(request):
    categories = queries.categories()
    form = SearchForm(request.GET or None, categories=categories)
    context = {"form": form, "results": None, "refusal": None}
    if not form.is_bound:
        return render(request, "search/search.html", context)
    try:
        limits.check_searches(ip_address=client_address.of_request(request))
    except LimitExceeded as error:
        context["refusal"] = error.message
        return _refused(error, render(request, "search/search.html", context))
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    author = form.cleaned_data["author"].strip()
    author_id = queries.author_id(author) if author else None
    if author and author_id is None:
        form.add_error("author", _("No member is called %(name)s.") % {"name": author})
        return render(request, "search/search.html", context, status=400)
    context["results"] = queries.results_page(
        query=form.cleaned_data["query"],
        filters=form.filters(author_id=author_id),
        viewer=request.user,
        newest=form.cleaned_data["order"] == "newest",
        page=request.GET.get("page"),
    )
    context["page_query"] = _without_page(request)
    return render(request, "search/search.html", context)


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
def suggest(request):
    """Search-as-you-type: a few topics whose titles match, the last word as a prefix."""
    try:
        limits.check_searches(ip_address=client_address.of_request(request))
    except LimitExceeded as error:
        return _refused(error, JsonResponse({"error": error.message, "topics": []}))
    text = request.GET.get("q", "")
    if text and not text.endswith((" ", '"', "*")):
        text += "*"
    try:
        query = parse(text)
    except QueryError as error:
        return JsonResponse({"error": str(error), "topics": []})
    topics = queries.suggestions(query=query, viewer=request.user)
    return JsonResponse(
        {"topics": [{"title": s.title, "url": s.url, "category": s.category} for s in topics]}
    )
