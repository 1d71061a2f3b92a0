from urllib.parse import urlencode

from allauth.account.views import LoginView, SignupView
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot import client_address
from folkmoot.accounts.models import User
from folkmoot.discussions import pending_cookie
from folkmoot.discussions import policy as discussion_policy
from folkmoot.discussions import queries as discussion_queries
from folkmoot.discussions import views as discussion_views
from folkmoot.discussions.forms import GuestReplyForm, GuestTopicForm
from folkmoot.discussions.models import Post
from folkmoot.discussions.pages import pending_post_url
from folkmoot.faults.refusals import refusal_response
from folkmoot.first_use import ModuleOnFirstUse
from folkmoot.forums.models import Category
from folkmoot.moderation import antibot
from folkmoot.refusal import Refusal

from . import queries
from .adapter import SIGNED_UP_ADDRESS
from .models import GuestPost

# Writing's services load with the first write: a worker that only shows pages never
# imports them (first_use.py).
services = ModuleOnFirstUse("folkmoot.guests.services")


@never_cache
@require_safe
def antibot_challenge(request):
    """A fresh proof-of-work challenge for the guest reply form's solver, with this browser's
    own CSRF token: the form may come from a page cached for every anonymous reader."""
    return JsonResponse({**antibot.make_challenge(), "csrfToken": get_token(request)})


ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@require_http_methods(["GET", "HEAD", "POST"])
def finish_registering(request, token: str):
    """The link in a guest's email, read only by the owner of the address: on to sign-up with
    the address filled in, or to sign-in when it already belongs to a member. Once in, they
    publish or discard the post on the waiting-posts page."""
    guest = get_object_or_404(
        GuestPost.objects.unclaimed().select_related("post__topic"), claim_token=token
    )
    signed_up_here = queries.unverified_address_signed_up_here(
        address_id=request.session.get(SIGNED_UP_ADDRESS), email=guest.email
    )
    if signed_up_here and not request.user.is_authenticated:
        # One email for the guest: this link confirms the address they signed up with in this
        # browser (on a POST: GET never writes, and mail scanners follow links).
        if request.method != "POST":
            return render(
                request, "accounts/confirm_guest_address.html", {"address": signed_up_here}
            )
        if services.confirm_address_by_finish_link(signed_up_here):
            del request.session[SIGNED_UP_ADDRESS]
            auth_login(request, signed_up_here.user, backend=ALLAUTH_BACKEND)
            return redirect("waiting_posts")
    if request.method == "POST":
        return redirect(request.path)
    if request.user.is_authenticated:
        response = redirect("waiting_posts")
    elif queries.email_has_account(guest.email):
        params = urlencode({"email": guest.email, "next": reverse("waiting_posts")})
        response = redirect(f"{reverse('account_login')}?{params}")
    else:
        params = urlencode({"email": guest.email, "next": after_claim_url(guest.post_id)})
        response = redirect(f"{reverse('account_signup')}?{params}")
    pending_cookie.remember(request, response, guest.post_id)
    return response


def after_claim_url(post_id: int) -> str:
    return reverse("guest_posted", kwargs={"post_id": post_id})


@require_safe
def guest_posted(request, post_id: int):
    """Where a guest lands after registering: the published post, or the topic's last page
    where their browser shows the post still awaiting approval."""
    post = get_object_or_404(Post.objects.select_related("topic__category"), pk=post_id)
    if post.status == Post.Status.PUBLISHED:
        return redirect(post.get_absolute_url())
    if request.user.is_authenticated and queries.has_waiting_guest_posts(request.user):
        # Signed in with the address a guest used: the owner decides first.
        return redirect(f"{reverse('waiting_posts')}?{urlencode({'next': request.path})}")
    mine = post.pk in pending_cookie.read(request).post_ids or (
        request.user.is_authenticated and post.author_id == request.user.pk
    )
    if post.status != Post.Status.PENDING or not mine:
        raise Http404("No such post.")
    if not post.topic.post_count:
        # A topic the guest started: there is no page to show it on until it is published.
        messages.info(
            request,
            _(
                "Your topic “%(title)s” is saved. It appears here once you publish it "
                "with the link we emailed you."
            )
            % {"title": post.topic.title},
        )
        return redirect(post.topic.category.get_absolute_url())
    return redirect(pending_post_url(post))


class GuestAwareSignupView(SignupView):
    """allauth's sign-up, showing the guest the posts that signing up will publish."""

    def pending_posts(self):
        if not hasattr(self, "_pending_posts"):
            self._pending_posts = queries.guest_posts_for_browser(
                pending_cookie.read(self.request).post_ids
            )
        return self._pending_posts

    def get_initial(self):
        """The display name the guest gave, as a suggested username."""
        initial = super().get_initial()
        names = [post.guest.display_name for post in self.pending_posts()]
        suggestion = slugify(next((name for name in names if name), ""))[:30]
        if suggestion and not User.objects.filter(username__iexact=suggestion).exists():
            initial["username"] = suggestion
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_posts"] = self.pending_posts()
        return context


signup = GuestAwareSignupView.as_view()


class GuestAwareLoginView(LoginView):
    """allauth's sign-in, with the guest's address filled in when they were sent here."""

    def get_initial(self):
        initial = super().get_initial()
        email = self.request.GET.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            return initial
        initial["login"] = email
        return initial


login = GuestAwareLoginView.as_view()


def _safe_next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_required
@require_safe
def waiting_posts(request):
    """Posts guests wrote with one of the member's verified addresses: nothing is published
    under an account until its owner says so here."""
    context = {
        "waiting": list(queries.waiting_guest_posts_for(request.user)),
        "next": _safe_next(request),
    }
    return render(request, "accounts/waiting_posts.html", context)


def _chosen_post_ids(request) -> list[int] | None:
    """The one post of a per-post button, or None for "all"."""
    if request.POST.get("all"):
        return None
    try:
        return [int(request.POST.get("post", ""))]
    except ValueError:
        return []


@login_required
@require_POST
def publish_waiting(request):
    posts = services.publish_waiting_posts(user=request.user, post_ids=_chosen_post_ids(request))
    held = sum(1 for post in posts if post.status != Post.Status.PUBLISHED)
    published = len(posts) - held
    if published:
        messages.success(
            request,
            ngettext("Your post is now published.", "Your posts are now published.", published),
        )
    if held:
        messages.info(
            request,
            ngettext(
                "Your post is awaiting approval by a moderator.",
                "Your posts are awaiting approval by a moderator.",
                held,
            ),
        )
    if not posts:
        messages.info(request, _("There was no such post waiting: nothing was published."))
    if _safe_next(request):
        return redirect(_safe_next(request))
    if len(posts) == 1:
        return redirect(after_claim_url(posts[0].pk))
    return redirect("waiting_posts")


@login_required
@require_POST
def discard_waiting(request):
    count = services.discard_waiting_posts(user=request.user, post_ids=_chosen_post_ids(request))
    if count:
        discarded = ngettext("Discarded %(count)s post.", "Discarded %(count)s posts.", count)
        messages.success(request, discarded % {"count": count})
    return redirect("waiting_posts")


@require_POST
def reply(request, topic_id: int, slug: str = ""):
    """The topic's reply box posts here, for members and guests alike: a member's reply is
    discussions' own view; a guest's is saved here, pending, and the guest sent on to sign up."""
    if request.user.is_authenticated:
        return discussion_views.reply(request, topic_id=topic_id, slug=slug)
    topic = discussion_queries.get_topic(topic_id=topic_id, viewer=request.user)
    return guest_reply(request, topic)


def guest_reply(request, topic):
    """A visitor's reply: saved as pending, then on to sign-up to publish it."""
    form = GuestReplyForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _guest_post_response(
        request,
        form,
        render_form=discussion_views.topic_form_renderer(request, topic, form),
        refused_next=topic.get_absolute_url(),
        save=lambda: services.guest_reply(topic=topic, **_guest_fields(request, data)),
    )


@require_http_methods(["GET", "POST"])
def new_topic(request, category_id: int, slug: str = ""):
    """The category's "Start new topic" page, for members (discussions' own view) and, where the
    category lets guests post, for guests: their topic waits like a guest's reply."""
    if request.user.is_authenticated:
        return discussion_views.new_topic(request, category_id=category_id, slug=slug)
    category = get_object_or_404(Category, pk=category_id)
    if not discussion_policy.can_guest_start_topic(request.user, category):
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
    form = GuestTopicForm(request.POST or None)
    render_form = discussion_views.new_topic_form_renderer(request, category, form)
    if request.method != "POST":
        return render_form()
    form.is_valid()
    data = form.cleaned_data
    return _guest_post_response(
        request,
        form,
        render_form=render_form,
        refused_next=request.path,
        save=lambda: services.guest_topic(
            category=category, title=data.get("title", ""), **_guest_fields(request, data)
        ),
    )


def _guest_fields(request, data) -> dict:
    return {
        "body": data.get("body", ""),
        "email": data.get("email", ""),
        "display_name": data.get("display_name", ""),
        "antibot_payload": data.get("altcha", ""),
        "honeypot": data.get("website", ""),
        "ip_address": client_address.of_request(request),
        "origin": f"{request.scheme}://{request.get_host()}",
    }


def _guest_post_response(request, form, *, render_form, refused_next: str, save):
    """Save a guest's post and send them on to sign up to publish it; or the form again with
    their text and what was wrong."""
    try:
        result = save()
    except services.GuestsNotAllowed as refusal:
        # No guest form is shown here; whoever posted anyway is sent to sign in.
        messages.error(request, refusal.message)
        return redirect(f"{reverse('account_login')}?{urlencode({'next': refused_next})}")
    except ValidationError as error:
        for field, errors in error.error_dict.items():
            form.add_error(field, errors)
        return render_form(status=400)
    except Refusal as refusal:
        return refusal_response(request, refusal, form=form, render_form=render_form)
    # The same answer whoever the address belongs to: on to sign-up, which says what a
    # member does instead. Only the email to the address may say more.
    params = urlencode(
        {"email": result.guest.email, "next": reverse("guest_posted", args=[result.post.pk])}
    )
    response = redirect(f"{reverse('account_signup')}?{params}")
    pending_cookie.remember(request, response, result.post.pk)
    return response
