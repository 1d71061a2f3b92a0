from datetime import timedelta

from django.utils import timezone

from folkmoot.discussions import services
from folkmoot.discussions.models import Post


def test_the_same_reply_submitted_twice_within_seconds_makes_one_post(db, topic, other_member):
    first = services.reply(topic=topic, author=other_member, body="Me too!")
    second = services.reply(topic=topic, author=other_member, body="Me too!")
    assert first == second
    topic.refresh_from_db()
    assert topic.post_count == 2


def test_the_same_words_later_are_a_new_post(db, topic, other_member):
    first = services.reply(topic=topic, author=other_member, body="Me too!")
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    second = services.reply(topic=topic, author=other_member, body="Me too!")
    assert second.number == first.number + 1


def test_double_submit_through_the_form_creates_one_post(member_client, topic):
    url = f"/t/{topic.pk}-{topic.slug}/reply/"
    member_client.post(url, {"body": "Posted once"})
    member_client.post(url, {"body": "Posted once"})
    assert topic.posts.filter(body="Posted once").count() == 1
