"""Following, the notification list and one-click unsubscribe. HTTP only: parse, call one
service or query, respond."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot.accounts import queries as accounts_queries
from folkmoot.accounts.language import in_language
from folkmoot.accounts.models import User
from folkmoot.discussions import pages
from folkmoot.discussions import queries as discussion_queries
from folkmoot.first_use import ModuleOnFirstUse
from folkmoot.forums.models import Category

from . import kinds, queries, tokens
from .models import Delivery

# Writing's services load with the first write: a worker that only shows pages never
# imports them (first_use.py).
services = ModuleOnFirstUse("folkmoot.notifications.services")


def _next_url(request, fallback: str) -> str:
    """Where to go back to: the page (and post) the member came from, if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def _target(request, what: str, pk: int) -> tuple[dict, str, str]:
    """The followed thing as service keyword arguments, its name and its page."""
    if what == "topic":
        topic = discussion_queries.get_topic(topic_id=pk, viewer=request.user)
        return {"topic": topic}, topic.title, topic.get_absolute_url()
    if what == "category":
        category = get_object_or_404(Category, pk=pk)
        return {"category": category}, category.name, category.get_absolute_url()
    if what == "member":
        other = get_object_or_404(User, pk=pk, is_active=True)
        if other == request.user:
            raise Http404("You cannot follow yourself.")
        profile_url = reverse("profile", args=[other.username])
        return {"followed_member": other}, other.display_name, profile_url
    raise Http404


@require_http_methods(["GET", "POST"])
def follow(request, what: str, pk: int):
    """GET: the follow options and the follower list (a guest is sent to sign in and back
    here). POST: follow, change the options, or unfollow; then back to the page and post."""
    target, name, page_url = _target(request, what, pk)
    back = _next_url(request, page_url)
    if not request.user.is_authenticated:
        # "Sign in to follow this": signed in, the member lands on this page's options, which
        # send them back to the page and post they came from.
        return redirect_to_login(f"{request.path}?{urlencode({'next': back})}")
    if request.method == "POST":
        if request.POST.get("action") == "unfollow":
            services.unfollow(member=request.user, **target)
            messages.success(request, _("You no longer follow “%(name)s”.") % {"name": name})
        else:
            services.follow(
                member=request.user,
                **target,
                delivery=request.POST.get("delivery", Delivery.BOTH),
                is_public=request.POST.get("is_public") == "on",
            )
            messages.success(request, _("You follow “%(name)s”.") % {"name": name})
        return redirect(back)
    state = queries.follow_state(request.user, **target)
    context = {
        "what": what,
        "pk": pk,
        "name": name,
        "page_url": page_url,
        "next": back,
        "state": state,
        "followers": queries.followers_of(**target),
        "deliveries": Delivery.choices,
    }
    return render(request, "notifications/follow.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def followed(request):
    """Everything the member follows; POST changes or unfollows the ticked ones."""
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("follow") if value.isdigit()]
        if request.POST.get("action") == "unfollow":
            count = services.unfollow_many(member=request.user, follow_ids=ids)
            messages.success(request, _("Unfollowed %(count)s.") % {"count": count})
        else:
            count = services.change_many(
                member=request.user, follow_ids=ids, delivery=request.POST.get("delivery", "")
            )
            messages.success(request, _("Changed %(count)s.") % {"count": count})
        return redirect("followed")
    context = {"follows": queries.followed_content(request.user), "deliveries": Delivery.choices}
    return render(request, "notifications/followed.html", context)


@login_required
@require_safe
def notification_list(request):
    return render(
        request,
        "notifications/list.html",
        {"notifications": queries.notification_list(request.user)},
    )


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Marks it read and goes to the post's permalink (or the topic)."""
    row = services.mark_read(member=request.user, notification_id=notification_id)
    if row.post_id:
        return redirect("post_permalink", post_id=row.post_id)
    if row.topic_id:
        return redirect(row.topic.get_absolute_url())
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(member=request.user)
    messages.success(request, _("All notifications marked read."))
    return redirect(_next_url(request, "/notifications/"))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        services.set_follow_when_posting(
            member=request.user, value=request.POST.get("follow_when_posting") == "on"
        )
        for kind in kinds.LABELS:
            services.set_kind_preference(
                member=request.user,
                kind=kind,
                on_site=request.POST.get(f"{kind}-site") == "on",
                by_email=request.POST.get(f"{kind}-email") == "on",
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_preferences")
    context = {
        "follow_when_posting": queries.follows_when_posting(request.user),
        "kinds": queries.kind_preferences(request.user),
    }
    return render(request, "notifications/preferences.html", context)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """From an email's link, no sign-in needed: GET asks, POST (with the page's CSRF token)
    does it. In the language of the email the link came in: its member's."""
    data = tokens.read(token)
    if data is None:
        raise Http404("This link is not valid.")
    with in_language(accounts_queries.chosen_language(data["member_id"])):
        if request.method == "POST":
            done = services.unsubscribe(
                member_id=data["member_id"], follow_id=data["follow_id"], kind=data["kind"]
            )
            return render(request, "notifications/unsubscribe.html", {"done": done})
        return render(request, "notifications/unsubscribe.html", {"token": token})


# RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe
# address with no cookie and no CSRF token. The signed token in the address is the proof (only
# the recipient has it), and the only change it can make is less mail. A POST without that
# body is refused (400); a GET (a client opening the address) shows the page that asks.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_one_click(request, token: str):
    data = tokens.read(token)
    if data is None:
        raise Http404("This link is not valid.")
    if request.method == "GET":
        return redirect("unsubscribe", token=token)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse("Not a one-click unsubscribe request.", status=400)
    done = services.unsubscribe(
        member_id=data["member_id"], follow_id=data["follow_id"], kind=data["kind"]
    )
    return HttpResponse(done, content_type="text/plain; charset=utf-8")


# --- unread ----------------------------------------------------------------------------------


@login_required
@require_POST
def read_topic(request, topic_id: int):
    """The topic page's script (a fetch with the page's CSRF token) says how far the member
    has scrolled; without JavaScript, the page's "Mark read" button posts the same form."""
    topic = discussion_queries.get_topic(topic_id=topic_id, viewer=request.user)
    raw = request.POST.get("number", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return HttpResponse("A post number, please.", status=400)
    number = services.read_topic(member=request.user, topic=topic, number=int(raw))
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"read": number})
    return redirect(_next_url(request, topic.get_absolute_url()))


@login_required
@require_safe
def first_unread(request, topic_id: int):
    """Lists link unread topics here: the page and anchor of the first post not read yet.
    Reads only (the page's script records the reading)."""
    topic = discussion_queries.get_topic(topic_id=topic_id, viewer=request.user)
    post, page = queries.first_unread(request.user, topic)
    if post is None:
        return redirect(topic.get_absolute_url())
    return redirect(pages.post_url(topic, number=post.number, page=page))


@login_required
@require_POST
def mark_all_topics_read(request):
    services.mark_all_topics_read(member=request.user)
    messages.success(request, _("Everything is marked read."))
    return redirect(_next_url(request, "/"))
