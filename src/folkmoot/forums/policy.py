"""Who moderates what: the one question every moderator-only action asks.

Staff moderate every category; a member may be made a moderator of some. The queue, hiding a
post, reading its revisions, seeing held and hidden posts in place and the header link to the
queue all ask `can_moderate`, so "moderator" means the same on every page.
"""

from folkmoot.compiled_queries import CompiledQuery

from .models import Category

# The categories a member moderates, as user.moderated_categories lists them (compiled once).
_moderated_categories = CompiledQuery(
    lambda user_id: Category.objects.filter(moderators=user_id).values_list("pk", flat=True)
)


def moderated_category_ids(user) -> frozenset[int]:
    """The categories a non-staff member moderates: one query, remembered on the user object
    for the rest of the request."""
    if not (user.is_authenticated and user.is_active) or user.is_staff:
        return frozenset()
    cached = getattr(user, "_moderated_category_ids", None)
    if cached is None:
        cached = frozenset(_moderated_categories(user_id=user.pk))
        user._moderated_category_ids = cached
    return cached


def can_moderate(user, category: Category | int) -> bool:
    """May this person moderate this category: staff, or a moderator of it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    category_id = category if isinstance(category, int) else category.pk
    return category_id in moderated_category_ids(user)


def moderates_anything(user) -> bool:
    """Whether the moderation queue (and the header's link to it) is for this person."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or bool(moderated_category_ids(user))
