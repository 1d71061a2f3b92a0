"""A member's profile page: who they are and what they wrote that the viewer may read."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from folkmoot.accounts.models import Ignore, User
from folkmoot.discussions.models import Post, Reaction, Topic
from folkmoot.notifications import queries as notification_queries
from folkmoot.notifications.queries import FollowState

RECENT_POSTS = 10
RECENT_TOPICS = 5


@dataclass(frozen=True)
class ProfilePage:
    member: User
    posts: list[Post]
    topics: list[Topic]
    reactions_received: int
    ignoring: bool  # whether the viewer ignores this member
    follow_state: FollowState  # how many follow this member, and whether the viewer does


def _public_posts():
    """Posts anyone may read: published, in a topic that is neither deleted nor held."""
    return Post.objects.published().filter(topic__is_deleted=False, topic__post_count__gt=0)


def profile_page(*, username: str, viewer) -> ProfilePage:
    # 1 query: the member (deactivated accounts have no page).
    member = User.objects.filter(username=username, is_active=True).first()
    if member is None:
        raise Http404("No such member.")
    # 1 query: their latest public posts with their topics.
    posts = list(
        _public_posts()
        .filter(author=member)
        .select_related("topic")
        .defer("body")
        .order_by("-created_at", "-pk")[:RECENT_POSTS]
    )
    # 1 query: the topics they started that anyone may read.
    topics = list(
        Topic.objects.visible().filter(author=member).order_by("-created_at")[:RECENT_TOPICS]
    )
    # 1 query: reactions their public posts received (their reputation).
    received = _reputation(member)
    # 1 query, members viewing someone else only: whether they ignore them.
    ignoring = bool(
        viewer.is_authenticated
        and viewer.pk != member.pk
        and Ignore.objects.filter(member=viewer, ignored=member).exists()
    )
    # 1 query: the follower count and whether the viewer follows them.
    follow_state = notification_queries.member_follow_state(viewer, member)
    return ProfilePage(
        member=member,
        posts=posts,
        topics=topics,
        reactions_received=received,
        ignoring=ignoring,
        follow_state=follow_state,
    )


def _reputation(member: User) -> int:
    """Reactions the member's public posts received."""
    return Reaction.objects.filter(
        post__in=_public_posts().filter(author=member).values("pk")
    ).count()


# --- the mention autocomplete ---------------------------------------------------------------

LOOKUP_MAX = 8


def members_starting_with(prefix: str) -> list[User]:
    """Up to LOOKUP_MAX active members whose username or display name starts with `prefix`
    (any case), usernames first: 1 query, none for an empty prefix."""
    prefix = prefix.strip().removeprefix("@")[:50]
    if not prefix:
        return []
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(username__istartswith=prefix) | Q(chosen_name__istartswith=prefix))
        .only("pk", "username", "chosen_name", "avatar")
        .order_by("username")[:LOOKUP_MAX]
    )


# --- the hover card -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserCard:
    member: User
    reactions_received: int


def user_card(*, username: str) -> UserCard:
    # 1 query: the member; 1 query: their reputation.
    member = (
        User.objects.filter(username=username, is_active=True)
        .only("pk", "username", "chosen_name", "avatar", "date_joined", "post_count")
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    return UserCard(member=member, reactions_received=_reputation(member))
