"""The guest reply box costs the topic page nothing; only a browser holding pending posts
pays one more query to show them."""

from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.guests import guest_reply


def test_a_visitor_without_the_cookie_still_costs_two_queries(
    client, db, django_assert_num_queries
):
    topic = make_topic(replies=24)
    # 1 topic with category (its guest policy), 2 page of posts with authors.
    with django_assert_num_queries(2):
        page = client.get(topic.get_absolute_url()).content.decode()
    assert "You can post now and register later." in page


def test_a_guest_with_pending_posts_costs_one_query_more(client, db, django_assert_num_queries):
    topic = make_topic(replies=3)
    guest_reply(client, topic, body="One")
    guest_reply(client, topic, body="Two", email="two@example.net")
    # 1 topic with category, 2 page of posts with authors, 3 this browser's pending posts
    # with their guest record and moderation entry.
    with django_assert_num_queries(3):
        page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count("This post will appear once you finish registering.") == 2


def test_a_new_member_where_posts_may_be_held_costs_one_query_more(
    client, member, django_assert_num_queries
):
    topic = make_topic(
        category=CategoryFactory(moderate_new_members=True),
        author=MemberFactory(is_staff=True),
        replies=3,
    )
    client.force_login(member)
    # 1 session, 2 member, 3 topic with category, 4 page of posts with authors, 5 the
    # member's own posts awaiting approval in this topic, 6 the member's upload policies
    # (for the editor), 7 the categories the member moderates (forums.policy.can_moderate),
    # 8 the topic's follower count and whether the member follows it, 9 the member's "follow
    # when posting" setting (the reply form's box), 10 the header bell's unread count, 11 the
    # member's own reactions to the page's posts, 12 how far the member has read the topic
    # (the unread marks), 13 the members they ignore (their posts collapse).
    with django_assert_num_queries(13):
        client.get(topic.get_absolute_url())
