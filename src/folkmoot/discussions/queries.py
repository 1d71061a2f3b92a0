"""Reads shaped for pages. Each costs a fixed number of queries, whatever the page length."""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import BooleanField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from folkmoot.compiled_queries import CompiledQuery
from folkmoot.forums.models import Category
from folkmoot.memo import Memo
from folkmoot.moderation import policy as moderation_policy

from . import page_cache, policy
from .models import REACTION_EMOJI, Post, Reaction, Recommendation, Topic
from .paging import ListKey, PageWindow, page_window
from .paging import offset as _offset


def index_page() -> list[Category]:
    # 1 query: categories with their latest post, its topic and author.
    return list(Category.objects.for_index())


@dataclass(frozen=True)
class CategoryPage:
    category: Category
    topics: list[Topic]
    window: PageWindow
    # Whether these are the topics `?page=N` shows now: a "Next" or "Previous" link followed
    # after the list changed shows the topics after (or before) the ones its reader saw,
    # which is no numbered page, and the page cache does not keep it.
    is_numbered_page: bool = True


# The category list's order; topic_listing_idx matches it column for column.
CATEGORY_ORDER = ("-is_pinned", "-last_posted_at", "-pk")
_REVERSED_ORDER = ("is_pinned", "last_posted_at", "pk")


def _seek(topics: QuerySet[Topic], key: ListKey, comparison: str) -> QuerySet[Topic]:
    """The topics on one side of `key` in the list's order (descending: "<" is after it), as
    one row-value comparison, which both databases read as a range of topic_listing_idx (the
    same condition spelled with ORs is a scan from the category's first entry)."""
    when = connections[topics.db].ops.adapt_datetimefield_value(key.last_posted_at)
    return topics.filter(
        RawSQL(
            f'("is_pinned", "last_posted_at", "id") {comparison} (%s, %s, %s)',
            (key.is_pinned, when, key.id),
            output_field=BooleanField(),
        )
    )


def category_page(
    *, category_id: int, page: str | None, after: str | None = None, before: str | None = None
) -> CategoryPage:
    """Page `page` of a category's topics. `after`/`before`: the list key (paging.ListKey) of
    the last topic of the page before, or the first of the page after, as "Next" and
    "Previous" carry them: the page then starts (or ends) right there, whatever was added or
    bumped since, and costs one seek however deep it is."""
    per_page = settings.FOLKMOOT["TOPICS_PER_PAGE"]
    if after is not None and before is not None:
        raise Http404("No such page.")
    seek_after = ListKey.parse(after) if after is not None else None
    seek_before = ListKey.parse(before) if before is not None else None
    # 1 query: the category (its topic count is denormalized, so no COUNT).
    category = get_object_or_404(Category, pk=category_id)
    window = page_window(requested=page, item_count=category.topic_count, per_page=per_page)
    number = window.number
    visible = Topic.objects.visible().filter(category=category)
    # Ids from the topic_listing_idx index alone (its order is the list's, and it holds the
    # columns the filter reads); then the rows for those ids. Page 1 reads from the start;
    # a later page seeks to a key: the link's, or the one the last render of this page or its
    # neighbour left (page_cache.list_marks), or else skips index entries to it once.
    scope = page_cache.category_scope(category.pk)
    marks = (
        page_cache.list_marks(scope, (number - 1, number, number + 1))
        if number > 1 or seek_before
        else page_cache.NO_MARKS
    )
    descending = visible.order_by(*CATEGORY_ORDER).values("pk")
    ascending = visible.order_by(*_REVERSED_ORDER).values("pk")
    # One topic more than a page, in the list's direction: whether "Next" leads anywhere.
    upto = per_page + 1
    if seek_after is not None:
        page_ids = _seek(descending, seek_after, "<")[:upto]
        is_numbered_page = marks.found.get(number - 1, ("", ""))[1] == after
    elif seek_before is not None:
        page_ids = _seek(ascending, seek_before, ">")[:per_page]
        is_numbered_page = marks.found.get(number + 1, ("", ""))[0] == before
    elif number in marks.found:
        page_ids = _seek(descending, ListKey.parse(marks.found[number][0]), "<=")[:upto]
        is_numbered_page = True
    elif number - 1 in marks.found:
        page_ids = _seek(descending, ListKey.parse(marks.found[number - 1][1]), "<")[:upto]
        is_numbered_page = True
    elif number + 1 in marks.found:
        page_ids = _seek(ascending, ListKey.parse(marks.found[number + 1][0]), ">")[:per_page]
        is_numbered_page = True
    else:
        start = (number - 1) * per_page
        page_ids = descending[start : start + upto]
        is_numbered_page = True
    # 1 query: a page of topics with author and last poster.
    topics = list(
        Topic.objects.filter(pk__in=page_ids)
        .select_related("author", "last_post__author")
        # The list names the last poster; the post's text would be read from its row's
        # overflow pages for nothing.
        .defer("last_post__body", "last_post__cooked", "author__password")
        .order_by(*CATEGORY_ORDER)
    )
    if not is_numbered_page and (not topics or (seek_before and len(topics) < per_page)):
        # Nothing left after the key, or less than a page before it: the numbered page (for
        # "Previous", the first), with the queries a numbered page costs; not under this
        # address, which a made-up key can vary without end, in the page cache.
        numbered = category_page(category_id=category_id, page=None if seek_before else page)
        return replace(numbered, is_numbered_page=False)
    more = len(topics) > per_page or (seek_before is not None or number + 1 in marks.found)
    topics = topics[:per_page]
    if topics and is_numbered_page and number > 1:
        mark = (str(ListKey.of(topics[0])), str(ListKey.of(topics[-1])))
        page_cache.remember_list_mark(scope, marks, number, mark)
    if topics:
        window = replace(
            window,
            next_after=str(ListKey.of(topics[-1])),
            previous_before=str(ListKey.of(topics[0])),
            more=more,
        )
    return CategoryPage(
        category=category, topics=topics, window=window, is_numbered_page=is_numbered_page
    )


# The topic with its category and starter (named in the topic's header). Every topic page
# reads it, so its SQL is compiled once (compiled_queries), not on every request.
_topic_with_category_and_author = CompiledQuery(
    lambda topic_id: (
        Topic.objects.select_related("category", "author")
        .defer("author__password")
        .filter(pk=topic_id)
    )
)


def get_topic(*, topic_id: int, viewer) -> Topic:
    # 1 query: the topic with its category and starter.
    found = _topic_with_category_and_author(topic_id=topic_id)
    if not found:
        raise Http404("No Topic matches the given query.")
    topic = found[0]
    if not policy.can_view_topic(viewer, topic):
        raise Http404("No such topic.")
    return topic


MERGE_HOPS = 20  # a topic merged into one merged later, and so on: far more than ever happens


def merged_destination(*, topic_id: int, viewer) -> Topic | None:
    """Where a merged topic's posts went (following later merges), if this viewer may read
    it there; None for a topic that was not merged. 1 query a hop."""
    next_id = Topic.objects.filter(pk=topic_id).values_list("merged_into", flat=True).first()
    destination = None
    for _ in range(MERGE_HOPS):
        if next_id is None:
            break
        destination = Topic.objects.select_related("category").filter(pk=next_id).first()
        next_id = destination.merged_into_id if destination else None
    if destination is None or not policy.can_view_topic(viewer, destination):
        return None
    return destination


# What a topic page never shows of a post or its author: the Markdown sources (the page shows
# their HTML, and a post's can be as long again), the address it was posted from, and the
# author's account details. Left in the database, they cost no column conversions either
# (on SQLite a date is parsed from text).
_NOT_SHOWN = (
    "body",
    "ip_address",
    "author__password",
    "author__last_login",
    "author__is_superuser",
    "author__first_name",
    "author__last_name",
    "author__email",
    "author__signature",
    "author__time_zone",
    "author__theme",
    "author__language",
)


def reading_posts(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author").defer(*_NOT_SHOWN).order_by("number")


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    posts: list[Post]
    window: PageWindow
    # Newest first; empty (and not asked for) when the topic has none.
    recommendations: list[Recommendation] = ()
    # Post #1 when published: on page 1, the first of `posts`; on later pages, beside them.
    opening_post: Post | None = None

    @property
    def recommended_post_ids(self) -> frozenset[int]:
        return frozenset(r.post_id for r in self.recommendations)


def _numbered(topic_id: int, *, include_hidden: bool) -> QuerySet[Post]:
    """The posts a topic page lists: published ones, or for moderators every post that took a
    number (hidden and deleted ones in their place)."""
    posts = Post.objects.filter(topic_id=topic_id)
    if include_hidden:
        return posts.filter(number__isnull=False)
    return posts.published()


# Where a topic page's posts start: after skipping some of the list's entries (OFFSET, which
# is part of the SQL), or at a post number, "from" it, "after" it, or ending "before" it.
SKIP, FROM, AFTER, BEFORE = "skip", "from", "after", "before"


def _page_posts(
    topic_id: int, number: int | None, *, seek: str, skip: int, upto: int, include_hidden: bool
) -> QuerySet[Post]:
    """A page of a topic's posts with their authors (topic_page says how it is found):
    `upto` ids from post_reading_idx, then the rows for those ids."""
    numbered = _numbered(topic_id, include_hidden=include_hidden).order_by("number").values("pk")
    if seek == SKIP:
        page_ids = numbered[skip : skip + upto]
    elif seek == FROM:
        page_ids = numbered.filter(number__gte=number)[:upto]
    elif seek == AFTER:
        page_ids = numbered.filter(number__gt=number)[:upto]
    else:
        page_ids = numbered.filter(number__lt=number).order_by("-number")[:upto]
    return reading_posts(Post.objects.filter(pk__in=page_ids))


# A compiled query per shape of page, a function of it alone; deep pages read without marks
# have one each (their OFFSET), so the memo is bounded.
_PAGE_POSTS_QUERIES = Memo(64)


def _page_posts_query(*, seek: str, skip: int, upto: int, include_hidden: bool):
    shape = dict(seek=seek, skip=skip, upto=upto, include_hidden=include_hidden)

    def make() -> CompiledQuery:
        if seek == SKIP:
            return CompiledQuery(lambda topic_id: _page_posts(topic_id, None, **shape))
        return CompiledQuery(lambda topic_id, number: _page_posts(topic_id, number, **shape))

    return _PAGE_POSTS_QUERIES.get(tuple(shape.values()), make)


_opening_post = CompiledQuery(
    lambda topic_id: reading_posts(
        Post.objects.filter(topic_id=topic_id, number=1, status=Post.Status.PUBLISHED)
    )[:1]
)


def topic_page(*, topic: Topic, page: str | None, include_hidden: bool = False) -> TopicPage:
    per_page = settings.FOLKMOOT["POSTS_PER_PAGE"]
    # Every number given so far is a published or a hidden post: no COUNT for moderators either.
    count = topic.next_number - 1 if include_hidden else topic.post_count
    window = page_window(requested=page, item_count=count, per_page=per_page)
    # The page's post ids come from post_reading_idx alone (topic, status, number, and the id),
    # so a deep page never sorts the topic's posts with their HTML; then the 25 rows by id.
    # Numbers have holes where posts were deleted or wait for approval, so page N does not
    # start at a number known beforehand: it seeks to where the last render of it or of a
    # neighbour began or ended (page_cache.list_marks), or else skips index entries to it.
    # Moderators' pages list hidden posts too, and always skip.
    number = window.number
    scope = page_cache.topic_scope(topic.pk)
    marks = (
        page_cache.list_marks(scope, (number - 1, number, number + 1))
        if number > 1 and not include_hidden
        else page_cache.NO_MARKS
    )
    skip = 0
    if number in marks.found:
        seek, at = FROM, {"number": int(marks.found[number][0])}
    elif number - 1 in marks.found:
        seek, at = AFTER, {"number": int(marks.found[number - 1][1])}
    elif number + 1 in marks.found:
        seek, at = BEFORE, {"number": int(marks.found[number + 1][0])}
    else:
        seek, at, skip = SKIP, {}, _offset(window, per_page).start
    # 1 query: a page of published posts with their authors.
    page_posts = _page_posts_query(
        seek=seek, skip=skip, upto=per_page, include_hidden=include_hidden
    )
    posts = page_posts(topic_id=topic.pk, **at)
    if window.number > 1:
        # 1 query more on a later page: its sharing tags and JSON-LD name the topic's opening
        # post (discussions.sharing). Asked for apart: OR-ed into the page's query, it made
        # PostgreSQL scan the whole post table.
        found = _opening_post(topic_id=topic.pk)
        opening_post = found[0] if found else None
    else:
        opening_post = posts[0] if posts and posts[0].number == 1 else None
    if opening_post is not None and opening_post.status != Post.Status.PUBLISHED:
        opening_post = None  # a moderator's page 1 of a hidden topic
    if posts and number > 1:
        mark = (str(posts[0].number), str(posts[-1].number))
        page_cache.remember_list_mark(scope, marks, number, mark)
    return TopicPage(
        topic=topic,
        posts=posts,
        window=window,
        recommendations=recommendations(topic),
        opening_post=opening_post,
    )


def recommendations(topic: Topic) -> list[Recommendation]:
    """The topic's recommended published posts, newest first, with their authors and the
    moderators who recommended them: 1 query, only when the topic has recommendations."""
    if not topic.recommendation_count:
        return []
    return _recommendations(topic_id=topic.pk)


def _recommendations_of(topic_id: int) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(topic_id=topic_id, post__status=Post.Status.PUBLISHED)
        .select_related("post__author", "moderator")
        .defer("post__body", "post__author__password", "moderator__password")
        .order_by("-created_at", "-pk")
    )


_recommendations = CompiledQuery(_recommendations_of)


# --- quotes -----------------------------------------------------------------------------------


def quote_markdown(*, author_name: str, post_url: str, text: str) -> str:
    """A block quote citing its author and linking to the post (the page's script builds the
    same from a selection: post-actions.js)."""
    lines = text.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}".rstrip() for line in lines)
    return f"> **[{author_name}]({post_url}) wrote:**\n>\n{quoted}\n\n"


def quote_of(*, post_id: str, viewer) -> str:
    """The Markdown quoting a post this viewer may see, or "" (1 query, when asked)."""
    if not (post_id.isascii() and post_id.isdigit() and len(post_id) < 12):
        return ""
    post = Post.objects.select_related("topic", "author").filter(pk=int(post_id)).first()
    if post is None or not policy.can_view_post(viewer, post):
        return ""
    name = post.author.display_name if post.author else "Guest"
    return quote_markdown(author_name=name, post_url=post.get_absolute_url(), text=post.body)


# --- reactions --------------------------------------------------------------------------------


def reaction_of(*, post: Post, member) -> str | None:
    return Reaction.objects.filter(post=post, member=member).values_list("kind", flat=True).first()


def own_reactions(*, member, posts: list[Post]) -> dict[int, str]:
    """{post id: kind} of this member's reactions to these posts: 1 query, for members only
    (a page anyone else sees is the same for all of them, and may be cached)."""
    if not member.is_authenticated or not posts:
        return {}
    topic_id, numbers = posts[0].topic_id, [post.number for post in posts]
    if None in numbers or any(post.topic_id != topic_id for post in posts):
        return dict(
            Reaction.objects.filter(
                member=member, post__in=[post.pk for post in posts]
            ).values_list("post_id", "kind")
        )
    # A page's posts in one shape, whatever their count: the member's reactions in the topic's
    # number range (the page's posts and any hidden between them), kept for the page's posts.
    shown = {post.pk for post in posts}
    in_range = _reactions_in_range(
        member_id=member.pk, topic_id=topic_id, first=min(numbers), last=max(numbers)
    )
    return {post_id: kind for post_id, kind in in_range if post_id in shown}


_reactions_in_range = CompiledQuery(
    lambda member_id, topic_id, first, last: Reaction.objects.filter(
        member=member_id,
        post__topic=topic_id,
        post__number__gte=first,
        post__number__lte=last,
    ).values_list("post_id", "kind")
)


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    emoji: str
    count: int


# The reactions' names for the catalogue: the model's choices stay English (translating them
# there would churn migrations); pages show pgettext("reaction", label).
REACTION_NAMES = [
    pgettext_lazy("reaction", "Like"),
    pgettext_lazy("reaction", "Thanks"),
    pgettext_lazy("reaction", "Haha"),
    pgettext_lazy("reaction", "Confused"),
    pgettext_lazy("reaction", "Sad"),
]


def reaction_counts(post: Post) -> list[ReactionCount]:
    """Every kind, in the row's order, with the post's count of it (from the post's row)."""
    counts = post.reaction_counts or {}
    return [
        ReactionCount(
            kind=kind.value,
            label=pgettext("reaction", kind.label),
            emoji=emoji,
            count=counts.get(kind, 0),
        )
        for kind, emoji in REACTION_EMOJI.items()
    ]


REACTIONS_PER_PAGE = 50


@dataclass(frozen=True)
class ReactionsPage:
    post: Post
    kind: str | None
    reactions: list[Reaction]
    window: PageWindow


def reactions_page(*, post_id: int, viewer, kind: str | None, page: str | None) -> ReactionsPage:
    """Who reacted to a post (of one kind, or all), newest first, a page at a time."""
    # 1 query: the post with its topic and category.
    post = get_object_or_404(
        Post.objects.select_related("topic__category").defer("body"), pk=post_id
    )
    if not policy.can_view_post(viewer, post):
        raise Http404("No such post.")
    if kind not in Reaction.Kind.values:
        kind = None
    counts = post.reaction_counts or {}
    total = counts.get(kind, 0) if kind else sum(counts.values())
    window = page_window(requested=page, item_count=total, per_page=REACTIONS_PER_PAGE)
    reactions = post.reactions.all()
    if kind:
        reactions = reactions.filter(kind=kind)
    # 1 query: a page of reactions with the members who gave them.
    rows = list(
        reactions.select_related("member")
        .defer("member__password")
        .order_by("-created_at", "-pk")[_offset(window, REACTIONS_PER_PAGE)]
    )
    return ReactionsPage(post=post, kind=kind, reactions=rows, window=window)


def page_of_post(post: Post, *, include_hidden: bool = False) -> int:
    """The topic page that shows this post: 1 COUNT over the posts listed before it."""
    per_page = settings.FOLKMOOT["POSTS_PER_PAGE"]
    listed = _numbered(post.topic_id, include_hidden=include_hidden)
    before = listed.filter(number__lt=post.number).count()
    return before // per_page + 1


def permalink_target(*, post_id: int, viewer) -> tuple[Post, int]:
    """The post and its page. Moderators land on hidden posts too, where their pages show
    them; for everyone else a post that is not published does not exist."""
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    if not policy.can_view_topic(viewer, post.topic):
        raise Http404("No such post.")
    moderator = policy.can_moderate_topic(viewer, post.topic)
    listed = post.status == Post.Status.PUBLISHED or (moderator and post.number is not None)
    if not listed:
        raise Http404("No such post.")
    return post, page_of_post(post, include_hidden=moderator)


def move_targets(*, viewer, topic: Topic) -> list[Category]:
    """The categories a moderator may move this topic to: those they moderate, but its own.
    1 query."""
    categories = Category.objects.exclude(pk=topic.category_id).only("pk", "name")
    if not viewer.is_staff:
        categories = categories.filter(pk__in=policy.moderated_category_ids(viewer))
    return list(categories.order_by("position", "name"))


def recent_duplicate(*, topic: Topic, body: str, author=None, guest_email: str = "") -> Post | None:
    """The same text in the same topic from the same sender (a member, or a guest's address)
    a moment ago, published or waiting: a double submit, answered with the first post. The
    caller holds the topic's lock, so a second submit waits for the first to finish."""
    since = timezone.now() - timedelta(seconds=settings.FOLKMOOT["DUPLICATE_WINDOW_SECONDS"])
    posts = Post.objects.filter(
        topic=topic,
        body=body,
        status__in=[Post.Status.PUBLISHED, Post.Status.PENDING],
        created_at__gte=since,
    )
    if author is not None:
        posts = posts.filter(author=author)
    else:
        posts = posts.filter(author__isnull=True, guest__email__iexact=guest_email)
    return posts.first()


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


# --- Feeds and sitemaps: public content only, whoever asks ------------------------------------
FEED_ITEMS = 30


def feed_topics(*, category: Category | None = None) -> list[Topic]:
    """The newest public topics, each with its first published post's HTML as `first_html`.

    1 query: topics with their author, and the first post's cooked HTML as a subquery."""
    first_html = (
        Post.objects.published().filter(topic=OuterRef("pk")).order_by("number").values("cooked")
    )
    topics = Topic.objects.visible().select_related("author").defer("author__password")
    if category is not None:
        topics = topics.filter(category=category)
    return list(
        topics.annotate(first_html=Subquery(first_html[:1])).order_by("-created_at", "-pk")[
            :FEED_ITEMS
        ]
    )


def feed_posts(topic: Topic) -> list[Post]:
    """The newest published posts of a public topic. 1 query: posts with their authors."""
    return list(
        topic.posts.published()
        .select_related("author")
        .defer("body", "author__password")
        .order_by("-number")[:FEED_ITEMS]
    )


def public_topic(*, topic_id: int) -> Topic:
    """A topic anyone may read, or 404. 1 query: the topic with its category."""
    topic = get_object_or_404(Topic.objects.select_related("category"), pk=topic_id)
    if not policy.can_view_topic(AnonymousUser(), topic):
        raise Http404("No such topic.")
    return topic


def sitemap_topics() -> QuerySet[Topic]:
    """Every public topic, oldest first, for the sitemap (paged there)."""
    return Topic.objects.visible().only("pk", "slug", "last_posted_at").order_by("pk")


NEW_POSTS_MAX = 100


def new_post_ids(*, topic: Topic, after: int) -> list[int]:
    """The ids of the topic's published posts numbered after `after`, in order (at most
    NEW_POSTS_MAX). 1 query over post_reading_idx."""
    return list(
        topic.posts.published()
        .filter(number__gt=after)
        .order_by("number")
        .values_list("pk", flat=True)[:NEW_POSTS_MAX]
    )


# --- sharing ----------------------------------------------------------------------------------


def shared_post(*, viewer, post_id: int | None = None, topic_id: int | None = None,
                number: int = 1) -> Post:  # fmt: skip
    """A post shown on another site (an oEmbed card, a permalink's link preview): by id, or by
    its number in a topic. Only a published post anyone may see that this viewer may see too;
    otherwise 404. 1 query: the post with its topic, category and author."""
    posts = Post.objects.select_related("topic__category", "author").defer(
        "body", "author__password"
    )
    if post_id is not None:
        post = posts.filter(pk=post_id).first()
    else:
        post = posts.filter(topic_id=topic_id, number=number).first()
    if post is None or not policy.can_view_post(viewer, post):
        raise Http404("No such post.")
    if not policy.can_view_post(AnonymousUser(), post):
        raise Http404("No such post.")  # another site's readers are anonymous
    return post
