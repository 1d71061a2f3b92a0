"""Background work of notifications, run by `folkmoot worker`: telling the followers of a new
post (in batches, so a topic with 10,000 followers costs its reply request nothing more than
one task row) and the daily and weekly digests."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from folkmoot.accounts.models import User
from folkmoot.discussions.models import Post
from folkmoot.mail import bounces as mail_bounces

from . import emails, kinds, services
from .models import Follow, Notification

BATCH = 500


def enqueue_fan_out(post_id: int) -> None:
    """With the database task backend the task row commits with the change (a rolled-back
    reply tells nobody); any other backend is told after commit."""
    if isinstance(fan_out_new_post.get_backend(), DatabaseBackend):
        fan_out_new_post.enqueue(post_id)
    else:
        transaction.on_commit(lambda: fan_out_new_post.enqueue(post_id))


def _follower_batches(**target):
    """Ids of the members following `target`, BATCH at a time, walked by follow id."""
    after = 0
    while True:
        batch = list(
            Follow.objects.filter(id__gt=after, **target)
            .order_by("id")
            .values_list("id", "member_id")[:BATCH]
        )
        if not batch:
            return
        after = batch[-1][0]
        yield [member_id for _, member_id in batch]


@task()
def fan_out_new_post(post_id: int) -> int:
    """Tell the followers of a newly published post's topic (or, for a first post, of its
    category) and of its author. Each member hears once, by the closest follow: the topic,
    else the category, else the author. Each batch is one transaction, so a failure loses at
    most that batch. The post is read again: if it was hidden meanwhile, nobody is told."""
    post = Post.objects.select_related("topic", "author").filter(pk=post_id).first()
    if post is None or post.status != Post.Status.PUBLISHED:
        return 0
    topic = post.topic
    told: set[int] = set()
    if post.number == 1:
        primary_kind, primary_target = kinds.NEW_TOPIC, {"category_id": topic.category_id}
    else:
        primary_kind, primary_target = kinds.REPLY, {"topic_id": topic.pk}
    passes = [(primary_kind, primary_target)]
    if post.author_id:
        passes.append((kinds.FOLLOWED_MEMBER, {"followed_member_id": post.author_id}))
    if post.author_id:
        # Writing in a topic is visiting it: its next reply may be emailed again.
        Follow.objects.filter(member_id=post.author_id, topic=topic, awaiting_visit=True).update(
            awaiting_visit=False
        )
    for kind, target in passes:
        for batch in _follower_batches(**target):
            recipients = [member_id for member_id in batch if member_id not in told]
            with transaction.atomic():
                services.notify(kind, recipients=recipients, post=post, actor=post.author)
            told.update(recipients)
    return len(told - {post.author_id})


DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


@task()
def send_digests(frequency: str) -> int:
    """One email per member with digest entries of this frequency not yet emailed, for posts
    still visible, and unread, to an address that did not hard-bounce. Returns how many
    digests were queued."""
    if frequency not in DIGEST_PERIODS:
        raise ValueError(frequency)
    sent = 0
    member_ids = (
        Notification.objects.filter(digest=frequency, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    for member_id in list(member_ids):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=member_id, digest=frequency, emailed_at__isnull=True)
                .order_by("created_at", "id")
            )
            member = User.objects.filter(pk=member_id, is_active=True).first()
            now = timezone.now()
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            news = list(
                Notification.objects.filter(
                    pk__in=[n.pk for n in pending],
                    read_at__isnull=True,
                    post__status=Post.Status.PUBLISHED,
                    topic__is_deleted=False,
                ).select_related("topic", "actor")
            )
            if member is None or not member.email or not news:
                continue  # nothing new since their last visit: no email
            if mail_bounces.has_bounced(member.email):
                continue  # their address refuses our mail: the site shows it all
            emails.queue_digest(
                to=member.email,
                language=member.language,
                member_id=member_id,
                frequency=frequency,
                notifications=news,
            )
            sent += 1
    return sent
