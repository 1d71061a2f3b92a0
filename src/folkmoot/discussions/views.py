from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot.accounts import pending_cookie
from folkmoot.accounts import services as accounts_services
from folkmoot.composer.context import composer_config
from folkmoot.forums.models import Category
from folkmoot.moderation.limits import LimitExceeded

from . import page_cache, policy, queries, services
from .forms import GuestReplyForm, PostForm, TopicForm
from .models import Post
from .post_html import render_post_frames


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


@require_safe
def index(request):
    return render(request, "discussions/index.html", {"categories": queries.index_page()})


@require_safe
def category(request, category_id: int, slug: str = ""):
    listing = queries.category_page(category_id=category_id, page=request.GET.get("page"))
    if slug != listing.category.slug:
        return HttpResponsePermanentRedirect(listing.category.get_absolute_url())
    return render(request, "discussions/category.html", {"listing": listing})


def _render_topic(request, topic, *, page=None, reply_form=None, status=200, refusal=None):
    listing = queries.topic_page(topic=topic, page=page)
    can_reply = policy.can_reply(request.user, topic)
    can_guest_reply = policy.can_guest_reply(request.user, topic)
    pending = pending_cookie.read(request)
    context = {
        "listing": listing,
        "post_frames": render_post_frames(request, listing.posts, topic=topic),
        "topic": topic,
        "reply_form": reply_form or (GuestReplyForm() if can_guest_reply else PostForm()),
        "can_reply": can_reply,
        "can_guest_reply": can_guest_reply,
        "composer": (
            composer_config(request, place=f"topic-{topic.pk}")
            if can_reply or can_guest_reply
            else None
        ),
        "is_moderator": policy.is_moderator(request.user),
        "refusal": refusal,
        "pending_posts": queries.pending_posts_for_browser(
            topic=topic, post_ids=pending.post_ids, viewer=request.user
        ),
        "pending_cookie_tampered": pending.tampered,
    }
    response = render(request, "discussions/topic.html", context, status=status)
    pending_cookie.forget_if_tampered(pending, response)
    return response


@require_safe
def topic(request, topic_id: int, slug: str = ""):
    def render_page():
        topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
        if slug != topic.slug:
            url = topic.get_absolute_url()
            if request.GET.get("page"):
                url += f"?page={request.GET['page']}"
            return HttpResponsePermanentRedirect(url)
        return _render_topic(request, topic, page=request.GET.get("page"))

    return page_cache.cached_or_rendered(request, render_page)


@require_POST
def reply(request, topic_id: int, slug: str = ""):
    topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    if not request.user.is_authenticated:
        return guest_reply(request, topic)
    form = PostForm(request.POST)
    form.is_valid()
    try:
        post = services.reply(
            topic=topic,
            author=request.user,
            body=form.cleaned_data.get("body", ""),
            ip_address=client_ip(request),
        )
    except PermissionDenied:
        raise Http404("You cannot reply to this topic.") from None
    except ValidationError as error:
        form.add_error("body", error)
        # Show the last page, where the reply box is, with the text kept.
        return _render_topic(request, topic, page="999999", reply_form=form, status=400)
    except LimitExceeded as error:
        return _too_many(request, topic, form, error)
    if post.status == Post.Status.PENDING:
        messages.info(
            request, "Your post is awaiting approval by a moderator.", extra_tags="draft-posted"
        )
        response = redirect(f"{topic.get_absolute_url()}?page=999999#post-pending-{post.pk}")
        pending_cookie.remember(request, response, post.pk)
        return response
    # The tag tells the page's editor to forget the browser's copy of the draft.
    messages.success(request, "Your reply was posted.", extra_tags="draft-posted")
    return redirect(post.get_absolute_url())


def _too_many(request, topic, form, error: LimitExceeded):
    """A rate limit was hit: 429, the reason above the form, the text kept in it."""
    response = _render_topic(
        request, topic, page="999999", reply_form=form, status=429, refusal=error.message
    )
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


# Which guest form field each refusal belongs to; the rest show above the form.
GUEST_ERROR_FIELDS = {"too_many_links": "body"}


def guest_reply(request, topic):
    """A visitor's reply: saved as pending, then on to sign-up (or sign-in) to publish it."""
    form = GuestReplyForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        result = accounts_services.guest_reply(
            topic=topic,
            body=data.get("body", ""),
            email=data.get("email", ""),
            display_name=data.get("display_name", ""),
            antibot_payload=data.get("altcha", ""),
            honeypot=data.get("website", ""),
            ip_address=client_ip(request),
            origin=f"{request.scheme}://{request.get_host()}",
        )
    except PermissionDenied as error:
        # No guest form is shown here; whoever posted anyway is sent to sign in.
        messages.error(request, str(error))
        return redirect(f"{reverse('account_login')}?next={topic.get_absolute_url()}")
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field, errors)
        else:
            form.add_error(GUEST_ERROR_FIELDS.get(error.code), error)
        return _render_topic(request, topic, page="999999", reply_form=form, status=400)
    except LimitExceeded as error:
        return _too_many(request, topic, form, error)
    params = urlencode(
        {"email": result.guest.email, "next": reverse("guest_posted", args=[result.post.pk])}
    )
    if result.has_account:
        messages.info(
            request,
            f"{result.guest.email} belongs to a member. Sign in to publish your post "
            "with your account.",
        )
        response = redirect(f"{reverse('account_login')}?{params}")
    else:
        response = redirect(f"{reverse('account_signup')}?{params}")
    pending_cookie.remember(request, response, result.post.pk)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request, category_id: int, slug: str = ""):
    category = get_object_or_404(Category, pk=category_id)
    form = TopicForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.start_topic(
                category=category,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                ip_address=client_ip(request),
            )
        except PermissionDenied:
            raise Http404("You cannot start topics here.") from None
        except ValidationError as error:
            form.add_error(None, error)
        except LimitExceeded as error:
            form.add_error(None, error.message)
            limited = True
        else:
            if topic.post_count == 0:
                messages.info(request, "Your topic is awaiting approval by a moderator.")
            return redirect(topic.get_absolute_url())
    status = (429 if limited else 400) if form.errors else 200
    context = {
        "category": category,
        "form": form,
        "composer": composer_config(request, place=f"category-{category.pk}"),
    }
    return render(request, "discussions/new_topic.html", context, status=status)


@require_safe
def post_permalink(request, post_id: int):
    post, page = queries.permalink_target(post_id=post_id, viewer=request.user)
    url = post.topic.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{post.number}")


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    if not policy.can_edit_post(request.user, post):
        raise Http404("No such post.")
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return redirect(post.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "discussions/edit_post.html", {"post": post, "form": form}, status=status
    )


@login_required
@require_safe
def post_revisions(request, post_id: int):
    if not policy.can_view_revisions(request.user):
        raise Http404("No such post.")
    post = get_object_or_404(Post.objects.select_related("topic", "author"), pk=post_id)
    revisions = post.revisions.select_related("editor")
    return render(
        request, "discussions/revisions.html", {"post": post, "revisions": list(revisions)}
    )


@login_required
@require_POST
def delete_post(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    try:
        services.delete_post(post=post, actor=request.user)
    except PermissionDenied:
        raise Http404("No such post.") from None
    return redirect(post.topic.get_absolute_url())
