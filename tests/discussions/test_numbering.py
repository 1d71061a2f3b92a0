from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from tests.factories import MemberFactory, make_topic


def test_posts_are_numbered_in_order_within_their_topic(db):
    topic = make_topic(replies=3)
    numbers = list(topic.posts.order_by("pk").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_each_topic_counts_its_own_numbers(db):
    first, second = make_topic(replies=2), make_topic(replies=1)
    assert first.posts.order_by("number").last().number == 3
    assert second.posts.order_by("number").last().number == 2


def test_a_deleted_post_keeps_its_number_and_the_next_reply_does_not_reuse_it(db, moderator):
    topic = make_topic(replies=2)
    services.delete_post(post=topic.posts.get(number=3), actor=moderator)
    new_post = services.reply(topic=topic, author=MemberFactory(), body="After the deletion")
    assert new_post.number == 4
    assert topic.posts.get(number=3).status == Post.Status.DELETED
