"""Every write to topics and posts: one function per user action, one transaction each.

Counters on topic, category and member change in the same transaction as the post that changes
them; side effects (notifications, previews, indexing) run after commit.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from folkmoot.accounts.models import User
from folkmoot.composer import previews
from folkmoot.composer import services as composer
from folkmoot.composer.rendering import RENDERER_VERSION
from folkmoot.composer.tasks import fetch_link_previews
from folkmoot.composer.validation import validate_post_body, validate_title
from folkmoot.forums.models import Category
from folkmoot.moderation import limits
from folkmoot.moderation import policy as moderation_policy
from folkmoot.moderation.models import QueuedPost

from . import page_cache, policy
from .models import Post, PostRevision, Topic


def publish_post(post: Post) -> Post:
    """Number a post and count it. Caller holds the transaction; the topic row is locked here
    so two replies can never take the same number. Posts held back (guests, moderation) are
    published through here too, so they are numbered at publication."""
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    if topic.post_count == 0:
        # A topic counts in its category from its first published post (which may have
        # waited for approval).
        Category.objects.filter(pk=topic.category_id).update(topic_count=F("topic_count") + 1)
    post.number = topic.next_number
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["number", "status", "created_at", "author"])
    Topic.objects.filter(pk=topic.pk).update(
        next_number=F("next_number") + 1,
        post_count=F("post_count") + 1,
        last_post=post,
        last_posted_at=post.created_at,
    )
    Category.objects.filter(pk=topic.category_id).update(
        post_count=F("post_count") + 1, last_post=post
    )
    if post.author_id:
        User.objects.filter(pk=post.author_id).update(post_count=F("post_count") + 1)
    page_cache.content_changed()
    _fetch_previews_after_commit(post)
    return post


def _fetch_previews_after_commit(post: Post) -> None:
    """Links standing alone in a published post become preview cards once fetched, in the
    background (pending posts wait: nothing is fetched for a post nobody may see yet)."""
    if post.status == Post.Status.PUBLISHED and previews.needs_previews(post.body):
        post_id = post.pk
        transaction.on_commit(lambda: fetch_link_previews.enqueue(post_id))


def new_post(*, topic: Topic, author: User | None, body: str, ip_address: str | None) -> Post:
    return Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        cooked=previews.cook(body),
        renderer_version=RENDERER_VERSION,
        status=Post.Status.PENDING,
        ip_address=ip_address,
    )


def _written(post: Post, *, draft_place: str) -> None:
    """What follows every successful write of a post body: the draft is spent, and the
    uploads the body shows now belong to the post."""
    if post.author_id:
        composer.delete_draft(author=post.author, key=draft_place)
    composer.attach_to_post(post)


def _recent_duplicate(*, topic: Topic, author: User, body: str) -> Post | None:
    window = timedelta(seconds=settings.FOLKMOOT["DUPLICATE_WINDOW_SECONDS"])
    return (
        Post.objects.filter(status__in=[Post.Status.PUBLISHED, Post.Status.PENDING])
        .filter(topic=topic, author=author, body=body, created_at__gte=timezone.now() - window)
        .first()
    )


def _submit_member_post(
    *,
    topic: Topic,
    author: User,
    body: str,
    ip_address: str | None,
    enforce_limits: bool,
    draft_place: str,
) -> Post:
    """Check a member's new post against the abuse limits, then publish it, or hold it where
    the category holds this member's posts. Runs inside the caller's transaction."""
    post = new_post(topic=topic, author=author, body=body, ip_address=ip_address)
    if enforce_limits and not policy.is_moderator(author):
        limits.check_links(member=author, cooked=post.cooked)
        limits.check_ban(email=author.email, ip_address=ip_address)
        limits.check_flood(member=author)
    _written(post, draft_place=draft_place)
    hold = moderation_policy.hold_reason(author=author, category=topic.category, guest=False)
    if hold:
        QueuedPost.objects.create(post=post, reason=hold)
        return post
    return publish_post(post)


@transaction.atomic
def start_topic(
    *,
    category: Category,
    author: User,
    title: str,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
) -> Topic:
    if not policy.can_start_topic(author, category):
        raise PermissionDenied("You cannot start topics here.")
    errors = {}
    try:
        title = validate_title(title)
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        body = validate_post_body(body)
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)

    topic = Topic.objects.create(
        category=category,
        title=title,
        slug=slugify(title, allow_unicode=True)[:200] or "topic",
        author=author,
    )
    _submit_member_post(
        topic=topic,
        author=author,
        body=body,
        ip_address=ip_address,
        enforce_limits=enforce_limits,
        draft_place=f"category-{category.pk}",
    )
    topic.refresh_from_db()
    return topic


@transaction.atomic
def reply(
    *,
    topic: Topic,
    author: User,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
) -> Post:
    """A member's reply. `enforce_limits=False` is for imports and demo content only: no
    flood control, link limit or ban check."""
    if not policy.can_reply(author, topic):
        raise PermissionDenied("You cannot reply to this topic.")
    body = validate_post_body(body)
    # Lock before looking for a duplicate so a double submit waits for the first to finish.
    Topic.objects.select_for_update().filter(pk=topic.pk).first()
    duplicate = _recent_duplicate(topic=topic, author=author, body=body)
    if duplicate:
        return duplicate
    return _submit_member_post(
        topic=topic,
        author=author,
        body=body,
        ip_address=ip_address,
        enforce_limits=enforce_limits,
        draft_place=f"topic-{topic.pk}",
    )


@transaction.atomic
def edit_post(*, post: Post, editor: User, body: str) -> Post:
    if not policy.can_edit_post(editor, post):
        raise PermissionDenied("You cannot edit this post.")
    body = validate_post_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, editor=editor)
    post.body = body
    post.cooked = previews.cook(body)
    post.renderer_version = RENDERER_VERSION
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "cooked", "renderer_version", "edited_at"])
    page_cache.content_changed()
    _written(post, draft_place=f"post-{post.pk}")
    _fetch_previews_after_commit(post)
    return post


@transaction.atomic
def delete_post(*, post: Post, actor: User) -> None:
    """Hide a reply. Its number stays taken, so every other permalink keeps working."""
    if not policy.can_delete_post(actor, post):
        raise PermissionDenied("You cannot delete this post.")
    if post.number == 1:
        raise ValidationError("The first post holds the topic; delete the topic instead.")
    if post.status != Post.Status.PUBLISHED:
        return
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    post.status = Post.Status.DELETED
    post.save(update_fields=["status"])

    latest_in_topic = topic.posts.published().order_by("-number").first()
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") - 1,
        last_post=latest_in_topic,
        last_posted_at=latest_in_topic.created_at if latest_in_topic else topic.created_at,
    )
    latest_in_category = (
        Post.objects.published()
        .filter(topic__category_id=topic.category_id, topic__is_deleted=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    Category.objects.filter(pk=topic.category_id).update(
        post_count=F("post_count") - 1, last_post=latest_in_category
    )
    if post.author_id:
        User.objects.filter(pk=post.author_id).update(post_count=F("post_count") - 1)
    page_cache.content_changed()


def rerender_posts(*, batch_size: int = 500) -> int:
    """Re-render every post cooked by an older renderer (with the link previews fetched so
    far). Returns how many changed."""
    changed = 0
    stale = Post.objects.filter(renderer_version__lt=RENDERER_VERSION).only("pk", "body")
    for post in stale.iterator(chunk_size=batch_size):
        Post.objects.filter(pk=post.pk).update(
            cooked=previews.cook(post.body), renderer_version=RENDERER_VERSION
        )
        changed += 1
    if changed:
        page_cache.content_changed()
    return changed
