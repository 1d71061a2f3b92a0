"""Who may do what with topics and posts. Services and views both ask here, nowhere else."""

from folkmoot.forums.models import Category

from .models import Post, Topic


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_view_topic(user, topic: Topic) -> bool:
    if is_moderator(user):
        return True
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
    return not topic.is_locked or is_moderator(user)


def can_edit_post(user, post: Post) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and post.status != Post.Status.DELETED


def can_view_revisions(user) -> bool:
    return is_moderator(user)


def can_delete_post(user, post: Post) -> bool:
    return is_moderator(user)


def can_guest_reply(user, topic: Topic) -> bool:
    """Anonymous visitors may reply where the topic's category lets guests post."""
    if user.is_authenticated or topic.is_deleted or topic.is_locked or topic.post_count == 0:
        return False
    return topic.category.guest_policy != Category.GuestPolicy.NONE
