from .models import QueuedPost


def queue_for(user) -> list[QueuedPost]:
    """Posts awaiting approval in the categories this user moderates, oldest first."""
    entries = QueuedPost.objects.select_related(
        "post__author", "post__topic__category", "post__guest"
    ).filter(post__status="pending")
    if not user.is_staff:
        entries = entries.filter(post__topic__category__moderators=user)
    # 1 query: entries with post, author, topic, category and guest record.
    return list(entries.order_by("created_at", "pk"))
