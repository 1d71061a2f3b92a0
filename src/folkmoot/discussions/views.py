from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot import client_address
from folkmoot.composer.context import composer_config
from folkmoot.faults.refusals import refusal_response
from folkmoot.faults.views import wants_json
from folkmoot.first_use import ModuleOnFirstUse
from folkmoot.forums.models import Category
from folkmoot.live.address import stream_url
from folkmoot.notifications import queries as notification_queries
from folkmoot.refusal import Refusal

from . import page_cache, pending_cookie, policy, queries, sharing, topic_rows
from .forms import GuestReplyForm, PostForm, TopicForm
from .models import Post
from .pages import LAST_PAGE, pending_post_url, post_url
from .post_html import post_rows

# Writing's services load with the first write: a worker that only shows pages never
# imports them (first_use.py).
services = ModuleOnFirstUse("folkmoot.discussions.services")


# Anonymous readers get these pages from the cache (page_cache.PageCacheMiddleware).
@page_cache.cached_page(scope=lambda **_: page_cache.INDEX_SCOPE)
@require_safe
def index(request):
    categories = queries.index_page()
    context = {
        "categories": categories,
        # Members only (their pages are never cached): nothing for anonymous readers.
        "unread_ids": notification_queries.unread_latest_category_ids(request.user, categories),
    }
    response = render(request, "discussions/index.html", context)
    return page_cache.mark_canonical(response, page_number=1)


# int(): the URL's "01" and "1" are one category, whose changes bump "category:1".
@page_cache.cached_page(scope=lambda category_id, **_: page_cache.category_scope(int(category_id)))
@require_safe
def category(request, category_id: int, slug: str = ""):
    listing = queries.category_page(
        category_id=category_id,
        page=request.GET.get("page"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    if slug != listing.category.slug:
        return HttpResponsePermanentRedirect(listing.category.get_absolute_url())
    unread_ids = notification_queries.unread_topic_ids(request.user, listing.topics)
    context = {
        "listing": listing,
        "topic_rows": topic_rows.topic_rows(listing.topics, unread_ids=unread_ids),
        "can_start_topic": policy.can_start_topic(request.user, listing.category)
        or policy.can_guest_start_topic(request.user, listing.category),
    }
    response = render(request, "discussions/category.html", context)
    if not listing.is_numbered_page:
        return response  # "Next" followed after the list changed: never cached
    return page_cache.mark_canonical(
        response,
        page_number=listing.window.number,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )


def render_topic(
    request, topic, *, page=None, reply_form=None, status=200, refusal=None, resume=False
):
    """The topic page. `resume`: the topic's plain address, which takes a member who read
    part of the topic to the first post they have not read when it is on a later page."""
    # Moderators see hidden posts in their places; their pages are never cached (signed in).
    is_moderator = policy.can_moderate_topic(request.user, topic)
    listing = queries.topic_page(topic=topic, page=page, include_hidden=is_moderator)
    # Members only (their pages are never cached): where their unread posts start.
    read_state = notification_queries.read_state(request.user, [topic.pk])
    if resume and listing.window.has_next:
        further_on = notification_queries.unread_further_on(
            topic, state=read_state, shown=listing.posts, include_hidden=is_moderator
        )
        if further_on is not None:
            post, page_number = further_on
            return redirect(post_url(topic, number=post.number, page=page_number))
    can_reply = policy.can_reply(request.user, topic)
    can_guest_reply = policy.can_guest_reply(request.user, topic)
    pending = pending_cookie.read(request)
    if reply_form is None and (can_reply or can_guest_reply) and request.GET.get("quote"):
        # "Quote" without JavaScript: the reply box opens with the quoted post in it.
        quote = queries.quote_of(post_id=request.GET["quote"], viewer=request.user)
        reply_form = (GuestReplyForm if can_guest_reply else PostForm)(initial={"body": quote})
    unread_from = read_state.unread_from(topic.pk, listing.posts)
    context = {
        "unread_from": unread_from,
        "poll_seconds": settings.FOLKMOOT["NEW_REPLIES_POLL_SECONDS"],
        "live_url": stream_url(request, f"/live/t/{topic.pk}/"),
        "listing": listing,
        "post_rows": post_rows(
            request,
            listing,
            topic=topic,
            is_moderator=is_moderator,
            can_quote=can_reply or can_guest_reply,
            unread_from=unread_from,
        ),
        "topic": topic,
        "reply_form": reply_form
        or (
            GuestReplyForm()
            if can_guest_reply
            else PostForm(
                initial={"follow": notification_queries.follows_when_posting(request.user)}
            )
        ),
        "follow_state": notification_queries.topic_follow_state(request.user, topic),
        "can_reply": can_reply,
        "can_guest_reply": can_guest_reply,
        "composer": (
            composer_config(request, place=f"topic-{topic.pk}")
            if can_reply or can_guest_reply
            else None
        ),
        "is_moderator": is_moderator,
        "move_targets": (
            queries.move_targets(viewer=request.user, topic=topic) if is_moderator else ()
        ),
        "refusal": refusal,
        "pending_posts": queries.pending_posts_for_browser(
            topic=topic, post_ids=pending.post_ids, viewer=request.user
        ),
        "pending_cookie_tampered": pending.tampered,
        "sharing": sharing.for_topic_page(
            request,
            topic=topic,
            opening_post=listing.opening_post,
            posts=listing.posts,
            page_number=listing.window.number,
        ),
    }
    response = render(request, "discussions/topic.html", context, status=status)
    pending_cookie.forget_if_tampered(pending, response)
    return page_cache.mark_canonical(response, page_number=listing.window.number)


@page_cache.cached_page(scope=lambda topic_id, **_: page_cache.topic_scope(int(topic_id)))
@require_safe
def topic(request, topic_id: int, slug: str = ""):
    try:
        topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    except Http404:
        topic = None
    if topic is None or topic.merged_into_id:
        # A merged topic's address leads to the topic its posts went to.
        destination = queries.merged_destination(topic_id=topic_id, viewer=request.user)
        if destination is None:
            raise Http404("No such topic.")
        return HttpResponsePermanentRedirect(destination.get_absolute_url())
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.GET.get("page"):
            url += "?" + urlencode({"page": request.GET["page"]})
        return HttpResponsePermanentRedirect(url)
    # Only the plain address resumes reading: a page number, a permalink (which names
    # its page, even page 1, for members) or any other query opens where it says.
    return render_topic(request, topic, page=request.GET.get("page"), resume=not request.GET)


@require_safe
def new_posts(request, topic_id: int):
    """What an open topic page polls: how many replies were published after post `?after=N`,
    and the first one's id (the page fetches its permalink's page to show them in place).
    2 queries: the topic, the ids. Reads only; anyone who may see the topic may ask."""
    after = request.GET.get("after", "0")
    if not after.isascii() or not after.isdigit() or len(after) > 9:
        return HttpResponse("?after=N, N a post number.", status=400)
    topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    ids = queries.new_post_ids(topic=topic, after=int(after))
    response = JsonResponse({"count": len(ids), "first": ids[0] if ids else None})
    response["Cache-Control"] = "no-store"
    return response


def topic_form_renderer(request, topic, form):
    """The topic's last page, where the reply box is, with the user's text kept in it."""

    def render_form(*, status: int, refusal: str | None = None):
        return render_topic(
            request, topic, page=LAST_PAGE, reply_form=form, status=status, refusal=refusal
        )

    return render_form


def new_topic_form_renderer(request, category, form):
    """The "Start new topic" page with the user's title and text kept in it."""

    def render_form(*, status: int = 200, refusal: str | None = None):
        context = {
            "category": category,
            "form": form,
            "composer": composer_config(request, place=f"category-{category.pk}"),
            "can_guest_start_topic": policy.can_guest_start_topic(request.user, category),
        }
        return render(request, "discussions/new_topic.html", context, status=status)

    return render_form


@login_required
@require_POST
def reply(request, topic_id: int, slug: str = ""):
    """A member's reply (guests.views.reply sends members here, and takes guests' itself)."""
    form = PostForm(request.POST)
    form.is_valid()
    destination = queries.merged_destination(topic_id=topic_id, viewer=request.user)
    if destination is not None:
        # The topic was merged while they wrote: the topic it joined, their text in its box.
        return topic_form_renderer(request, destination, form)(
            status=409,
            refusal=_(
                "A moderator merged the topic into this one while you wrote. "
                "Your reply is below: post it here."
            ),
        )
    topic = queries.get_topic(topic_id=topic_id, viewer=request.user)
    try:
        post = services.reply(
            topic=topic,
            author=request.user,
            body=form.cleaned_data.get("body", ""),
            ip_address=client_address.of_request(request),
            follow=form.cleaned_data.get("follow", False),
        )
    except ValidationError as error:
        form.add_error("body", error)
        return topic_form_renderer(request, topic, form)(status=400)
    except Refusal as refusal:
        return refusal_response(
            request, refusal, form=form, render_form=topic_form_renderer(request, topic, form)
        )
    if post.status == Post.Status.PENDING:
        # One post; the guests' page says the same of several (one catalogue entry for both).
        waiting = ngettext(
            "Your post is awaiting approval by a moderator.",
            "Your posts are awaiting approval by a moderator.",
            1,
        )
        messages.info(request, waiting, extra_tags="draft-posted")
        response = redirect(pending_post_url(post))
        pending_cookie.remember(request, response, post.pk)
        return response
    # The tag tells the page's editor to forget the browser's copy of the draft.
    messages.success(request, _("Your reply was posted."), extra_tags="draft-posted")
    return redirect(post.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request, category_id: int, slug: str = ""):
    """A member's new topic (guests.views.new_topic sends members here, and takes guests')."""
    category = get_object_or_404(Category, pk=category_id)
    form = TopicForm(
        request.POST or None,
        initial={"follow": notification_queries.follows_when_posting(request.user)},
    )
    render_form = new_topic_form_renderer(request, category, form)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.start_topic(
                category=category,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                ip_address=client_address.of_request(request),
                follow=form.cleaned_data["follow"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except Refusal as refusal:
            return refusal_response(
                request, refusal, form=form, render_form=render_form, above_form=False
            )
        else:
            if topic.post_count == 0:
                messages.info(request, _("Your topic is awaiting approval by a moderator."))
            return redirect(topic.get_absolute_url())
    return render_form(status=400 if form.errors else 200)


@require_safe
def post_permalink(request, post_id: int):
    post, page = queries.permalink_target(post_id=post_id, viewer=request.user)
    # A member's topic page at the plain address resumes at their first unread post: their
    # permalinks name page 1 too, to land on this post. Anonymous readers' stay on the
    # plain (cached) address.
    target = post_url(
        post.topic, number=post.number, page=page, explicit_page=request.user.is_authenticated
    )
    if sharing.is_link_preview_agent(request) and sharing.anonymous_may_see(post):
        # Link previews ignore the fragment of the page we redirect to, so they would show the
        # topic: they get this post's own card (its text, its picture), linking on to it.
        post = queries.shared_post(viewer=request.user, post_id=post.pk)
        permalink = request.build_absolute_uri(post.get_absolute_url())
        title = post.topic.title
        if post.number != 1:
            title = f"{title} (post #{post.number} by {sharing.author_name(post)})"
        context = {
            "card": sharing.post_card(request, post, url=permalink, title=title),
            "target_url": target,
        }
        return render(request, "discussions/post_card.html", context)
    return redirect(target)


@require_safe
def share_mastodon(request):
    """Share a page of ours on Mastodon: ask for the reader's server, then offer a link to
    its share page (a link to follow, never a redirect). GET only, so it works without
    JavaScript; 400 for a url that is not of this site."""
    url = sharing.own_absolute_url(request, request.GET.get("url", ""))
    if url is None:
        return HttpResponse(
            _("Only pages of this site can be shared."), status=400, content_type="text/plain"
        )
    text = request.GET.get("text", "")[: sharing.MASTODON_TEXT_CHARS]
    typed = request.GET.get("instance")
    context = {"url": url, "text": text, "typed": typed or "", "error": ""}
    status = 200
    if typed is not None:
        try:
            instance = sharing.mastodon_instance(typed)
        except ValueError as error:
            context["error"], status = str(error), 400
        else:
            context["instance"] = instance
            context["share_url"] = sharing.mastodon_share_url(instance=instance, text=text, url=url)
    return render(request, "discussions/share_mastodon.html", context, status=status)


@require_safe
def oembed(request):
    """The oEmbed provider (oembed.com): a JSON "rich" card for a topic or post URL of this
    site that anyone may see; 404 for other URLs and for what the caller may not see, 501 for
    formats other than JSON, 400 for a malformed request."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is supported.", status=501, content_type="text/plain")
    try:
        maxwidth = _dimension(request.GET.get("maxwidth"))
        maxheight = _dimension(request.GET.get("maxheight"))
    except ValueError:
        return HttpResponse(
            "maxwidth and maxheight are positive whole numbers of pixels.",
            status=400,
            content_type="text/plain",
        )
    url = request.GET.get("url", "")
    if not url:
        return HttpResponse(
            _("Give the url of a topic or post."), status=400, content_type="text/plain"
        )
    reference = sharing.embed_reference(url, host=request.get_host())
    if reference is None:
        raise Http404("No embeddable topic or post at that URL.")
    post = queries.shared_post(
        viewer=request.user,
        post_id=reference.post_id,
        topic_id=reference.topic_id,
        number=reference.number,
    )
    data = sharing.oembed_response_data(request, post, maxwidth=maxwidth, maxheight=maxheight)
    response = JsonResponse(data)
    response["Cache-Control"] = f"public, max-age={sharing.OEMBED_CACHE_SECONDS}"
    # Public content: browsers read it from any site, and send no cookies for such reads.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _dimension(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 5 or int(value) == 0:
        raise ValueError(value)
    return int(value)


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    if not policy.can_edit_post(request.user, post):
        raise Http404("No such post.")
    form = PostForm(request.POST or None, initial={"body": post.body})

    def render_form(*, status: int = 200, refusal: str | None = None):
        context = {
            "post": post,
            "form": form,
            "refusal": refusal,
            # The same rich editor as the reply box, its drafts kept under the post being edited.
            "composer": composer_config(request, place=f"post-{post.pk}"),
        }
        return render(request, "discussions/edit_post.html", context, status=status)

    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                ip_address=client_address.of_request(request),
            )
        except ValidationError as error:
            form.add_error("body", error)
        except Refusal as refusal:
            return refusal_response(request, refusal, form=form, render_form=render_form)
        else:
            return redirect(post.get_absolute_url())
    return render_form(status=400 if form.errors else 200)


@login_required
@require_safe
def post_revisions(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("topic", "author"), pk=post_id)
    if not policy.can_view_revisions(request.user, post):
        raise Http404("No such post.")
    revisions = post.revisions.select_related("editor")
    return render(
        request, "discussions/revisions.html", {"post": post, "revisions": list(revisions)}
    )


# --- reactions and recommendations ----------------------------------------------------------


def _post_for_action(post_id: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related("topic__category").defer("body"), pk=post_id
    )


def _back_to_post(post: Post):
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def react(request, post_id: int):
    """A reaction given, changed or taken back: the post's reactions again for the page's
    script (JSON), or back to the post for a plain form."""
    post = _post_for_action(post_id)
    try:
        mine = services.react(post=post, member=request.user, kind=request.POST.get("kind", ""))
    except Refusal as refusal:
        return refusal_response(request, refusal)
    if wants_json(request):
        html = render_to_string(
            "discussions/_reactions.html",
            {
                "post": post,
                "reactions": queries.reaction_counts(post),
                "mine": mine,
                "can_react": True,
            },
            request=request,
        )
        return JsonResponse({"kind": mine, "html": html})
    return _back_to_post(post)


@require_safe
def post_reactions(request, post_id: int):
    listing = queries.reactions_page(
        post_id=post_id,
        viewer=request.user,
        kind=request.GET.get("kind"),
        page=request.GET.get("page"),
    )
    context = {
        "listing": listing,
        "post": listing.post,
        "counts": queries.reaction_counts(listing.post),
    }
    return render(request, "discussions/reactions.html", context)


@login_required
@require_POST
def recommend_post(request, post_id: int):
    post = _post_for_action(post_id)
    try:
        done = services.recommend_post(
            post=post, moderator=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_post(post)
    if done:
        messages.success(request, _("Recommended post #%(number)s.") % {"number": post.number})
    return _back_to_post(post)


@login_required
@require_POST
def remove_recommendation(request, post_id: int):
    post = _post_for_action(post_id)
    if services.remove_recommendation(post=post, moderator=request.user):
        messages.success(
            request, _("Post #%(number)s is no longer recommended.") % {"number": post.number}
        )
    return _back_to_post(post)


@login_required
@require_POST
def nominate_post(request, post_id: int):
    """A member suggests the post for recommendation; it waits in the moderators' queue."""
    post = _post_for_action(post_id)
    try:
        created = services.nominate_post(
            post=post, member=request.user, note=request.POST.get("note", "")
        )
    except Refusal as refusal:
        return refusal_response(request, refusal)
    if created:
        messages.success(request, _("Thank you: the moderators will consider recommending it."))
    else:
        messages.info(request, _("You have already nominated this post."))
    return _back_to_post(post)


@require_safe
def post_quote(request, post_id: int):
    """The Markdown quoting a post, for the page's "Quote" button."""
    markdown = queries.quote_of(post_id=str(post_id), viewer=request.user)
    if not markdown:
        raise Http404("No such post.")
    return JsonResponse({"markdown": markdown})
