"""What an open topic page polls for new replies: a count and the first one, for readers who
may see the topic, in two queries whatever the number of replies."""

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory, make_topic


def new_posts(client, topic, after):
    return client.get(f"/t/{topic.pk}/new-posts/", {"after": after})


def test_it_counts_the_replies_published_after_a_post_and_names_the_first(client, db):
    topic = make_topic(replies=1)
    assert new_posts(client, topic, 2).json() == {"count": 0, "first": None}
    first = services.reply(topic=topic, author=MemberFactory(), body="Third")
    services.reply(topic=topic, author=MemberFactory(), body="Fourth")
    response = new_posts(client, topic, 2)
    assert response.json() == {"count": 2, "first": first.pk}
    assert response["Cache-Control"] == "no-store"


def test_it_costs_two_queries_for_a_visitor_whatever_the_number_of_replies(
    client, db, django_assert_num_queries
):
    topic = make_topic(replies=30)
    # 1 topic with category, 2 the ids of the posts after N.
    with django_assert_num_queries(2):
        assert new_posts(client, topic, 1).json()["count"] == 30


def test_a_held_reply_is_not_counted_and_a_held_topic_is_not_found(client, db):
    category = CategoryFactory(moderate_new_members=True)
    topic = make_topic(category=category, author=MemberFactory(is_staff=True))
    held = services.reply(topic=topic, author=MemberFactory(), body="Waiting for approval")
    assert held.number is None or held.status != "published"
    assert new_posts(client, topic, 1).json()["count"] == 0
    held_topic = services.start_topic(
        category=category, author=MemberFactory(), title="Held", body="Waiting"
    )
    assert new_posts(client, held_topic, 0).status_code == 404


def test_after_must_be_a_post_number(client, db):
    topic = make_topic()
    for bad in ("x", "-1", "٣", "9" * 12):
        assert new_posts(client, topic, bad).status_code == 400, bad
