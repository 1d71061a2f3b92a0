"""Addresses of places in a topic that more than one view sends people to."""

from .models import Post

# `?page=` past the end shows the last page (queries.page_window): where the reply box and a
# browser's own pending posts are.
LAST_PAGE = "999999"


def pending_post_url(post: Post) -> str:
    """Where a post not yet published shows, to its author only: the topic's last page."""
    return f"{post.topic.get_absolute_url()}?page={LAST_PAGE}#post-pending-{post.pk}"
