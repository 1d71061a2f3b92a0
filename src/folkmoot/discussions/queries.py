"""Reads shaped for pages. Each costs a fixed number of queries, whatever the page length."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from folkmoot.forums.models import Category
from folkmoot.moderation import policy as moderation_policy

from . import policy
from .models import Post, Topic


@dataclass(frozen=True)
class PageWindow:
    number: int
    page_count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def numbers(self) -> range:
        return range(1, self.page_count + 1)


def page_window(*, requested: str | None, item_count: int, per_page: int) -> PageWindow:
    """Parse ?page=N. Not a number is a 404; past the end is the last page."""
    page_count = max(1, -(-item_count // per_page))
    if requested in (None, ""):
        return PageWindow(1, page_count)
    if not requested.isdigit() or int(requested) < 1:
        raise Http404("No such page.")
    return PageWindow(min(int(requested), page_count), page_count)


def _offset(window: PageWindow, per_page: int) -> slice:
    start = (window.number - 1) * per_page
    return slice(start, start + per_page)


def index_page() -> list[Category]:
    # 1 query: categories with their latest post, its topic and author.
    return list(Category.objects.for_index())


@dataclass(frozen=True)
class CategoryPage:
    category: Category
    topics: list[Topic]
    window: PageWindow


def category_page(*, category_id: int, page: str | None) -> CategoryPage:
    per_page = settings.FOLKMOOT["TOPICS_PER_PAGE"]
    # 1 query: the category (its topic count is denormalized, so no COUNT).
    category = get_object_or_404(Category, pk=category_id)
    window = page_window(requested=page, item_count=category.topic_count, per_page=per_page)
    # 1 query: a page of topics with author and last poster.
    topics = list(
        Topic.objects.visible()
        .filter(category=category)
        .select_related("author", "last_post__author")
        .order_by("-is_pinned", "-last_posted_at", "-pk")[_offset(window, per_page)]
    )
    return CategoryPage(category=category, topics=topics, window=window)


def get_topic(*, topic_id: int, viewer) -> Topic:
    # 1 query: the topic with its category.
    topic = get_object_or_404(Topic.objects.select_related("category"), pk=topic_id)
    if not policy.can_view_topic(viewer, topic):
        raise Http404("No such topic.")
    return topic


def reading_posts(topic: Topic) -> QuerySet[Post]:
    # Readers see the cooked HTML; the Markdown source can be as long again, so leave it.
    return (
        topic.posts.published()
        .select_related("author")
        .defer("body", "author__password")
        .order_by("number")
    )


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    posts: list[Post]
    window: PageWindow


def topic_page(*, topic: Topic, page: str | None) -> TopicPage:
    per_page = settings.FOLKMOOT["POSTS_PER_PAGE"]
    window = page_window(requested=page, item_count=topic.post_count, per_page=per_page)
    # 1 query: a page of published posts with their authors.
    posts = list(reading_posts(topic)[_offset(window, per_page)])
    return TopicPage(topic=topic, posts=posts, window=window)


def page_of_post(post: Post) -> int:
    """The topic page that shows this post: 1 COUNT over the posts published before it."""
    per_page = settings.FOLKMOOT["POSTS_PER_PAGE"]
    before = post.topic.posts.published().filter(number__lt=post.number).count()
    return before // per_page + 1


def permalink_target(*, post_id: int, viewer) -> tuple[Post, int]:
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    if post.status != Post.Status.PUBLISHED or not policy.can_view_topic(viewer, post.topic):
        raise Http404("No such post.")
    return post, page_of_post(post)


def pending_posts_for_browser(*, topic: Topic, post_ids, viewer) -> list[Post]:
    """Posts this viewer wrote that are not published yet, shown only to them: those listed in
    the browser's signed cookie, and, for a member whose posts this category may hold, their
    own held posts from any device. A member sees only their own; a guest only authorless ones.
    """
    own_held = viewer.is_authenticated and moderation_policy.may_hold_posts_of(
        viewer, topic.category
    )
    if not post_ids and not own_held:
        return []
    if viewer.is_authenticated:
        mine = Q(author=viewer) if own_held else Q(author=viewer, pk__in=post_ids)
    else:
        mine = Q(author__isnull=True, pk__in=post_ids)
    # 1 query, only for browsers holding the cookie or members whose posts may be held: the
    # posts with their guest record and moderation entry.
    return list(
        topic.posts.filter(mine, status=Post.Status.PENDING)
        .select_related("author", "guest", "moderation_entry")
        .order_by("created_at", "pk")
    )
