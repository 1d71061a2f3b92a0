"""RSS and Atom feeds: the site's newest topics, a category's, and a topic's newest posts.

Feeds show what an anonymous reader may see, whoever asks (queries.feed_*). Their links are
made absolute from the request's own host rather than the Sites record, so a feed read through
a proxy or a second name points back where it was read."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from folkmoot.forums.models import Category

from . import queries
from .models import Post, Topic

GUEST_NAME = "Guest"


@dataclass(frozen=True)
class FeedSource:
    """What a feed is about, and the request's origin (the Feed instance is shared)."""

    origin: str
    self_path: str
    category: Category | None = None
    topic: Topic | None = None


def _source(request, **about) -> FeedSource:
    return FeedSource(
        origin=f"{request.scheme}://{request.get_host()}", self_path=request.path, **about
    )


def _with_origin(items: list, source: FeedSource) -> list:
    # Item methods see only the item, so each carries the origin its link is made from.
    for item in items:
        item.feed_origin = source.origin
    return items


def _author_name(item) -> str:
    return item.author.display_name if item.author_id and item.author else GUEST_NAME


class _PublicFeed(Feed):
    def feed_url(self, source: FeedSource) -> str:
        return source.origin + source.self_path

    def item_guid_is_permalink(self, item) -> bool:
        return True

    def item_author_name(self, item) -> str:
        return _author_name(item)


class LatestTopicsFeed(_PublicFeed):
    feed_type = Rss201rev2Feed

    def get_object(self, request) -> FeedSource:
        return _source(request)

    def title(self, source: FeedSource) -> str:
        return _("%(site)s: latest topics") % {"site": settings.SITE_NAME}

    def link(self, source: FeedSource) -> str:
        return source.origin + reverse("index")

    def description(self, source: FeedSource) -> str:
        return _("The newest topics on %(site)s.") % {"site": settings.SITE_NAME}

    def items(self, source: FeedSource) -> list[Topic]:
        return _with_origin(queries.feed_topics(), source)

    def item_title(self, topic: Topic) -> str:
        return topic.title

    def item_description(self, topic: Topic) -> str:
        return topic.first_html or ""

    def item_link(self, topic: Topic) -> str:
        return topic.feed_origin + topic.get_absolute_url()

    def item_pubdate(self, topic: Topic):
        return topic.created_at

    def item_updateddate(self, topic: Topic):
        return topic.last_posted_at


class LatestTopicsAtomFeed(LatestTopicsFeed):
    feed_type = Atom1Feed
    subtitle = LatestTopicsFeed.description


class CategoryTopicsFeed(LatestTopicsFeed):
    def get_object(self, request, category_id: str, slug: str = "") -> FeedSource:
        return _source(request, category=get_object_or_404(Category, pk=category_id))

    def title(self, source: FeedSource) -> str:
        return _("%(category)s · %(site)s: latest topics") % {
            "category": source.category.name,
            "site": settings.SITE_NAME,
        }

    def link(self, source: FeedSource) -> str:
        return source.origin + source.category.get_absolute_url()

    def description(self, source: FeedSource) -> str:
        return source.category.description or _("The newest topics in %(category)s.") % {
            "category": source.category.name
        }

    def items(self, source: FeedSource) -> list[Topic]:
        return _with_origin(queries.feed_topics(category=source.category), source)


class CategoryTopicsAtomFeed(CategoryTopicsFeed):
    feed_type = Atom1Feed
    subtitle = CategoryTopicsFeed.description


class TopicPostsFeed(_PublicFeed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, topic_id: str, slug: str = "") -> FeedSource:
        return _source(request, topic=queries.public_topic(topic_id=int(topic_id)))

    def title(self, source: FeedSource) -> str:
        return f"{source.topic.title} · {settings.SITE_NAME}"

    def link(self, source: FeedSource) -> str:
        return source.origin + source.topic.get_absolute_url()

    def description(self, source: FeedSource) -> str:
        return _("The newest posts in “%(title)s”.") % {"title": source.topic.title}

    def items(self, source: FeedSource) -> list[Post]:
        return _with_origin(queries.feed_posts(source.topic), source)

    def item_title(self, post: Post) -> str:
        return f"#{post.number} by {_author_name(post)}"

    def item_description(self, post: Post) -> str:
        return post.cooked

    def item_link(self, post: Post) -> str:
        return post.feed_origin + post.get_absolute_url()

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at


class TopicPostsAtomFeed(TopicPostsFeed):
    feed_type = Atom1Feed
    subtitle = TopicPostsFeed.description
