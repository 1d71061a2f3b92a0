"""Reads for the search pages: each costs a fixed number of queries whatever it finds."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from folkmoot.accounts.models import User
from folkmoot.discussions.models import Post
from folkmoot.discussions.queries import PageWindow, page_window
from folkmoot.forums.models import Category

from . import backends, policy
from .backends import COUNT_CAP, MARK_END, MARK_START, Filters, engine
from .syntax import Query

SUGGESTIONS = 6


def highlighted(passage: str) -> SafeString:
    """The engine's passage as HTML: every character escaped, then only our own marks (which
    no indexed text contains) become <mark>. Nothing from a post can open a tag."""
    return mark_safe(escape(passage).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


@dataclass(frozen=True)
class Result:
    post: Post
    passage: SafeString


@dataclass(frozen=True)
class ResultsPage:
    results: list[Result]
    total: int
    window: PageWindow
    # False when relevance was asked for but a word is in too many posts to score
    # (backends.RANKED_WORD_LIMIT): the matches are listed newest first instead.
    ranked: bool = True
    # True when the lookup stopped at its bound (backends.CANDIDATES): only the newest
    # matches were ranked and counted, and narrowing the search reaches older ones.
    capped: bool = False

    @property
    def more_than_counted(self) -> bool:
        return self.capped

    @property
    def candidate_limit(self) -> int:
        return backends.CANDIDATES

    @property
    def shown_total(self) -> int:
        return min(self.total, COUNT_CAP)


def categories() -> list[Category]:
    # 1 query: the categories for the filter's menu.
    return list(Category.objects.order_by("position", "name").only("pk", "name"))


def author_id(username: str) -> int | None:
    # 1 query, only when the author filter is used.
    return User.objects.filter(username__iexact=username).values_list("pk", flat=True).first()


def results_page(
    *, query: Query, filters: Filters, viewer, newest: bool, page: str | None
) -> ResultsPage:
    per_page = settings.FOLKMOOT["SEARCH_RESULTS_PER_PAGE"]
    readable = policy.readable_category_ids(viewer)

    def search(window: PageWindow):
        # 1 query: how many match, and the page's post ids in order with their passages.
        return engine().search(
            query,
            filters=filters,
            readable_category_ids=readable,
            newest=newest,
            offset=(window.number - 1) * per_page,
            limit=per_page,
        )

    # The page asked for, as far as it can exist; again for the last page if past the end.
    asked = page_window(requested=page, item_count=COUNT_CAP, per_page=per_page)
    counted, hits = search(asked)
    total = counted.total
    window = page_window(requested=page, item_count=min(total, COUNT_CAP), per_page=per_page)
    if window.number != asked.number:
        counted, hits = search(window)
    # 1 query: the page's posts with topic, category and author.
    posts = (
        Post.objects.select_related("topic__category", "author")
        .defer("body", "cooked", "author__password")
        .in_bulk([hit.post_id for hit in hits])
    )
    results = [
        Result(post=posts[hit.post_id], passage=highlighted(hit.passage))
        for hit in hits
        if hit.post_id in posts
    ]
    return ResultsPage(
        results=results,
        total=total,
        window=window,
        ranked=not newest and counted.rankable,
        capped=counted.capped,
    )


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    category: str


def suggestions(*, query: Query, viewer) -> list[Suggestion]:
    """A few topics whose titles match, for search-as-you-type. 2 queries."""
    hits = engine().hits(
        query,
        filters=Filters(titles_only=True),
        readable_category_ids=policy.readable_category_ids(viewer),
        newest=False,
        offset=0,
        limit=SUGGESTIONS,
    )
    posts = (
        Post.objects.select_related("topic__category")
        .only("topic__title", "topic__slug", "topic__category__name")
        .in_bulk([hit.post_id for hit in hits])
    )
    return [
        Suggestion(
            title=posts[hit.post_id].topic.title,
            url=posts[hit.post_id].topic.get_absolute_url(),
            category=posts[hit.post_id].topic.category.name,
        )
        for hit in hits
        if hit.post_id in posts
    ]
