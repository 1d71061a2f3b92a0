"""Deleting a topic's first post deletes the topic (as Discourse does): replies without the post
they answer make no sense. Counters of the category and of every author stay exact."""

from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.moderation.services import approve_post
from tests.factories import CategoryFactory, MemberFactory, make_topic


def delete(client, post):
    return client.post(f"/mod/p/{post.pk}/delete/")


def counts(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return [obj.post_count for obj in objects]


def test_deleting_the_first_post_deletes_the_topic_and_keeps_counters_exact(
    moderator_client, category
):
    opener, replier = MemberFactory(), MemberFactory()
    kept = make_topic(category=category, title="The topic that stays", replies=1)
    topic = make_topic(category=category, author=opener, title="Doomed thread", replies=2)
    topic.posts.filter(number=3).update(author=replier)
    User.objects.filter(pk=replier.pk).update(post_count=2)  # this reply and one elsewhere
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (2, 5)

    response = delete(moderator_client, topic.posts.get(number=1))

    assert response.status_code == 302
    first = topic.posts.get(number=1)
    assert response.url == first.get_absolute_url()  # where moderators see it, and undo it
    topic.refresh_from_db()
    assert topic.is_deleted
    assert topic.posts.get(number=1).status == Post.Status.DELETED
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 2)
    assert category.last_post == kept.last_post
    assert counts(opener, replier) == [0, 1]
    # Gone for readers, from the category listing and from the topic's own URL.
    anonymous = moderator_client.__class__()
    assert anonymous.get(topic.get_absolute_url()).status_code == 404
    assert topic.title not in anonymous.get(category.get_absolute_url()).text
    page = moderator_client.get(response.url, follow=True).text
    assert "Deleted the topic" in page
    assert "This topic was deleted" in page and "Undo delete" in page


def test_deleting_a_reply_of_a_deleted_topic_leaves_the_category_alone(moderator, category):
    topic = make_topic(category=category, replies=2)
    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    category.refresh_from_db()
    before = (category.topic_count, category.post_count)
    reply = topic.posts.get(number=2)
    services.delete_post(post=reply, actor=moderator)
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == before
    assert Topic.objects.get(pk=topic.pk).post_count == 1


def test_deleting_the_first_post_twice_changes_nothing_the_second_time(moderator_client, topic):
    first = topic.posts.get(number=1)
    delete(moderator_client, first)
    category = Category.objects.get(pk=topic.category_id)
    before = (category.topic_count, category.post_count)
    assert delete(moderator_client, first).status_code == 302
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == before


def test_members_cannot_delete_posts(member_client, topic):
    assert delete(member_client, topic.posts.get(number=1)).status_code == 404
    topic.refresh_from_db()
    assert not topic.is_deleted


def test_a_post_approved_into_a_deleted_topic_leaves_the_category_alone(moderator, category):
    held_category = CategoryFactory(moderate_new_members=True)
    topic = make_topic(category=held_category, author=moderator, replies=1)
    newcomer = MemberFactory()
    held = services.reply(topic=topic, author=newcomer, body="Waiting for a moderator")
    assert held.status == Post.Status.PENDING
    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    held_category.refresh_from_db()
    before = (held_category.topic_count, held_category.post_count)

    approve_post(post=held, moderator=moderator)

    held_category.refresh_from_db()
    assert (held_category.topic_count, held_category.post_count) == before
    assert counts(newcomer) == [0]
