from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot.composer.context import composer_config
from folkmoot.forums.models import Category

from . import policy, queries, services
from .forms import PostForm, TopicForm
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


def _render_topic(request, topic, *, page=None, reply_form=None, status=200):
    listing = queries.topic_page(topic=topic, page=page)
    can_reply = policy.can_reply(request.user, topic)
    context = {
        "listing": listing,
        "post_frames": render_post_frames(request, listing.posts, topic=topic),
        "topic": topic,
        "reply_form": reply_form or PostForm(),
        "can_reply": can_reply,
        "composer": composer_config(request, place=f"topic-{topic.pk}") if can_reply else None,
        "is_moderator": policy.is_moderator(request.user),
    }
    return render(request, "discussions/topic.html", context, status=status)


@require_safe
def topic(request, topic_id: int, slug: str = ""):
    topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.GET.get("page"):
            url += f"?page={request.GET['page']}"
        return HttpResponsePermanentRedirect(url)
    return _render_topic(request, topic, page=request.GET.get("page"))


@require_POST
def reply(request, topic_id: int, slug: str = ""):
    topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={topic.get_absolute_url()}")
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
    # The tag tells the page's editor to forget the browser's copy of the draft.
    messages.success(request, "Your reply was posted.", extra_tags="draft-posted")
    return redirect(post.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request, category_id: int, slug: str = ""):
    category = get_object_or_404(Category, pk=category_id)
    form = TopicForm(request.POST or None)
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
        else:
            return redirect(topic.get_absolute_url())
    status = 400 if form.errors else 200
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
