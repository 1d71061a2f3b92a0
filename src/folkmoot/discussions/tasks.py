"""Background work that follows a post's changes, run by `folkmoot worker`."""

from django_tasks import task

from folkmoot.composer import previews
from folkmoot.composer.tasks import FETCH_QUEUE

from . import lifecycle


@task(queue_name=FETCH_QUEUE)
def fetch_link_previews(post_id: int) -> int:
    """Fetch the previews and image copies a post still needs and redraw it with them.
    Returns how many of its embeds have a card."""
    body = lifecycle.body_of(post_id)
    if body is None:
        return 0
    previews.fetch_due(body)
    lifecycle.refresh_cooked(post_id)
    return previews.card_count(lifecycle.body_of(post_id) or "")
