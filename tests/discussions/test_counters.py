import pytest
from django.core.exceptions import ValidationError

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory, make_topic


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_replying_updates_topic_category_and_author_counters_together(db):
    category = CategoryFactory()
    topic = make_topic(category=category)
    replier = MemberFactory()

    post = services.reply(topic=topic, author=replier, body="A reply")

    refresh(topic, category, replier)
    assert topic.post_count == 2
    assert topic.last_post == post
    assert category.post_count == 2
    assert category.topic_count == 1
    assert category.last_post == post
    assert replier.post_count == 1


def test_deleting_the_latest_reply_points_counters_back_at_the_previous_post(db, moderator):
    category = CategoryFactory()
    topic = make_topic(category=category, replies=2)
    previous = topic.posts.get(number=2)
    latest = topic.posts.get(number=3)
    author = latest.author

    services.delete_post(post=latest, actor=moderator)

    refresh(topic, category, author)
    assert topic.post_count == 2
    assert topic.last_post == previous
    assert category.post_count == 2
    assert category.last_post == previous
    assert author.post_count == 0


def test_a_rejected_reply_changes_no_counter(db):
    category = CategoryFactory()
    topic = make_topic(category=category)
    with pytest.raises(ValidationError):
        services.reply(topic=topic, author=MemberFactory(), body="   ")
    refresh(topic, category)
    assert topic.post_count == 1
    assert category.post_count == 1
    assert topic.posts.count() == 1


def test_a_topic_that_fails_validation_leaves_no_rows_behind(db, member):
    category = CategoryFactory()
    with pytest.raises(ValidationError) as error:
        services.start_topic(category=category, author=member, title="Hi", body="")
    assert set(error.value.message_dict) == {"title", "body"}
    category.refresh_from_db()
    assert category.topic_count == 0
    assert not category.topics.exists()
