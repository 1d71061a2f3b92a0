"""Which posts wait for a moderator. Who moderates what is forums.policy.can_moderate."""

from folkmoot.forums.models import Category

from . import limits
from .models import QueuedPost


def hold_reason(*, author, category: Category, guest: bool) -> str | None:
    """Why a post must wait for a moderator before anyone sees it, or None to publish now."""
    if author is not None and author.is_staff:
        return None
    if guest and category.guest_policy == Category.GuestPolicy.MODERATED:
        return QueuedPost.Reason.GUEST
    if category.moderate_new_members and limits.is_new_member(author):
        return QueuedPost.Reason.NEW_MEMBER
    return None


def may_hold_posts_of(author, category: Category) -> bool:
    """Whether this category could be holding posts of this member (no query): new members
    where it holds their posts, or in a category that moderates registered guests."""
    if author.is_staff:
        return False
    holds = category.moderate_new_members or (
        category.guest_policy == Category.GuestPolicy.MODERATED
    )
    return holds and limits.is_new_member(author)
