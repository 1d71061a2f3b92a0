"""Who may do what with topics and posts. Services and views both ask here, nowhere else.

"Moderator" is one question, asked of a category: forums.policy.can_moderate (staff, or a
moderator of that category)."""

from folkmoot.forums.models import Category
from folkmoot.forums.policy import can_moderate, moderated_category_ids

from .models import Post, Topic

__all__ = ["can_moderate", "moderated_category_ids"]


def can_moderate_topic(user, topic: Topic) -> bool:
    return can_moderate(user, topic.category_id)


def can_moderate_post(user, post: Post) -> bool:
    return can_moderate(user, post.topic.category_id)


def can_view_topic(user, topic: Topic) -> bool:
    if can_moderate_topic(user, topic):
        return True  # held and hidden topics too, in the categories they moderate
    if topic.is_deleted:
        return False
    if topic.post_count == 0:  # its first post awaits approval: only its author sees it
        return bool(user.is_authenticated and topic.author_id == user.pk)
    return True


def can_start_topic(user, category) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_reply(user, topic: Topic) -> bool:
    if not (user.is_authenticated and user.is_active and can_view_topic(user, topic)):
        return False
    if topic.post_count == 0:  # nothing to reply to until the first post is approved
        return False
    return not topic.is_locked or can_moderate_topic(user, topic)


def can_edit_post(user, post: Post) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if can_moderate_post(user, post):
        return True
    return post.author_id == user.pk and post.status != Post.Status.DELETED


def can_view_revisions(user, post: Post) -> bool:
    return can_moderate_post(user, post)


def can_delete_post(user, post: Post) -> bool:
    return can_moderate_post(user, post)


def can_guest_start_topic(user, category) -> bool:
    """Anonymous visitors may start topics where the category lets guests post."""
    if user.is_authenticated:
        return False
    return category.guest_policy != Category.GuestPolicy.NONE


def can_guest_reply(user, topic: Topic) -> bool:
    """Anonymous visitors may reply where the topic's category lets guests post."""
    if user.is_authenticated or topic.is_deleted or topic.is_locked or topic.post_count == 0:
        return False
    return topic.category.guest_policy != Category.GuestPolicy.NONE


def can_view_post(user, post: Post) -> bool:
    """A published post in a topic this person may read (held and hidden ones are moderators'
    business, on their own pages)."""
    return post.status == Post.Status.PUBLISHED and can_view_topic(user, post.topic)


def can_react(user, post: Post) -> bool:
    """Members react to others' published posts, in topics they may read and that are open."""
    if not (user.is_authenticated and user.is_active and can_view_post(user, post)):
        return False
    if post.author_id == user.pk:
        return False
    return not post.topic.is_locked or can_moderate_post(user, post)


def can_recommend(user, post: Post) -> bool:
    """Moderators of the post's category recommend its published posts (and remove that)."""
    return post.status == Post.Status.PUBLISHED and can_moderate_post(user, post)


def can_nominate(user, post: Post) -> bool:
    """Members suggest a published post they may read for recommendation: not their own (that
    would be self-promotion), and not in a category they moderate (there they recommend it
    themselves). Guests do not: a nomination asks moderators for their time, so it needs an
    account. Locked topics are fine: recommending reads, it adds no reply."""
    if not (user.is_authenticated and user.is_active and can_view_post(user, post)):
        return False
    return post.author_id != user.pk and not can_moderate_post(user, post)
