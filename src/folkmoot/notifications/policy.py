"""Who may be told of what, and who may follow what. Services and views ask here."""

from folkmoot.discussions import policy as discussions_policy
from folkmoot.discussions.models import Post, Topic

from . import kinds


def may_be_told(kind: str, *, post: Post | None, topic: Topic | None) -> bool:
    """Whether members may be told of this post or topic at all.

    Nobody is told of a post nobody but its author and moderators may see: pending, held,
    hidden, or in a topic that is hidden or whose first post awaits approval. Categories have
    no read restriction yet (every category is open to every member); when they get one, it
    is asked here, per recipient. Kinds about the recipient's own post (approved, rejected,
    warned, a report's outcome) are told whatever the post's state."""
    if kind in kinds.ABOUT_RECIPIENT:
        return True
    if post is not None and post.status != Post.Status.PUBLISHED:
        return False
    return topic is None or not (topic.is_deleted or topic.post_count == 0)


def can_follow_topic(user, topic: Topic) -> bool:
    return bool(
        user.is_authenticated and user.is_active and discussions_policy.can_view_topic(user, topic)
    )


def can_follow_category(user, category) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_follow_member(user, other) -> bool:
    return bool(user.is_authenticated and user.is_active and other.is_active and other != user)
