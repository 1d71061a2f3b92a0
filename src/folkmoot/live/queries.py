"""What a live stream reads when it (re)connects or hears an event: one query each."""

from django.db.models import Max

from folkmoot.discussions.models import Post, Topic


def latest_reply_number(topic: Topic) -> int:
    """The number of the topic's last published post (0 if none). 1 query."""
    latest = Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED).aggregate(
        latest=Max("number")
    )["latest"]
    return latest or 0
