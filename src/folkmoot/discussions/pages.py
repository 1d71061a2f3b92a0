"""Addresses of places in a topic that more than one view sends people to."""

from .models import Post, Topic

# `?page=` past the end shows the last page (queries.page_window): where the reply box and a
# browser's own pending posts are.
LAST_PAGE = "999999"


def pending_post_url(post: Post) -> str:
    """Where a post not yet published shows, to its author only: the topic's last page."""
    return f"{post.topic.get_absolute_url()}?page={LAST_PAGE}#post-pending-{post.pk}"


def post_url(topic: Topic, *, number: int, page: int, explicit_page: bool = False) -> str:
    """Post `number` on page `page` of the topic. Page 1 is the topic's plain address, which
    opens a member's topic where their unread posts start (views.topic): `explicit_page`
    names page 1 too, for links that must land on this very post (permalinks)."""
    url = topic.get_absolute_url()
    if page > 1 or explicit_page:
        url += f"?page={page}"
    return f"{url}#post-{number}"
