"""Every page costs a fixed number of queries, whatever the amount of data on it.

Each test renders a page once with a little data and once with a lot, asserts the two cost the
same, and holds the larger one to a budget whose queries are named in a comment. The topic,
category and index pages have theirs in tests/discussions/test_query_budgets.py.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.guests import guest_reply


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def held_posts(count: int) -> None:
    """`count` replies from new members, held in a category that holds new members' posts."""
    topic = make_topic(
        category=CategoryFactory(moderate_new_members=True),
        author=MemberFactory(is_staff=True),
    )
    for index in range(count):
        services.reply(topic=topic, author=MemberFactory(), body=f"Held reply {index}")


def test_moderation_queue_costs_the_same_with_one_held_post_as_with_twenty(
    client, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)
    held_posts(1)
    few = queries_for(client, "/mod/queue/")
    held_posts(19)
    # 1 session, 2 moderator, 3 held posts with topic, category, author and guest record,
    # 4 open reports (none here), 5 nominated posts (none here), 6 the header bell's unread
    # count.
    with django_assert_max_num_queries(6):
        page = client.get("/mod/queue/").content.decode()
    assert page.count("Held reply") == 20
    assert queries_for(client, "/mod/queue/") == few


def test_revisions_page_costs_the_same_with_one_revision_as_with_twenty(
    client, moderator, topic, django_assert_max_num_queries
):
    client.force_login(moderator)
    post = topic.posts.get(number=1)
    services.edit_post(post=post, editor=moderator, body="Edited once")
    url = f"/p/{post.pk}/revisions/"
    few = queries_for(client, url)
    for index in range(19):
        services.edit_post(post=post, editor=moderator, body=f"Edited again {index}")
    # 1 session, 2 moderator, 3 post with topic and author, 4 its revisions with editors,
    # 5 the header bell's unread count.
    with django_assert_max_num_queries(5):
        client.get(url)
    assert queries_for(client, url) == few


def test_edit_page_costs_the_same_for_a_short_topic_as_for_a_long_one(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    short = make_topic(author=member)
    long = make_topic(author=member, replies=30)
    few = queries_for(client, f"/p/{short.posts.get(number=1).pk}/edit/")
    url = f"/p/{long.posts.get(number=1).pk}/edit/"
    # 1 session, 2 member, 3 post with topic, 4 the categories the member moderates (may they
    # edit, and the header's queue link), 5 the member's upload policies (for the editor),
    # 6 the header bell's unread count.
    with django_assert_max_num_queries(6):
        client.get(url)
    assert queries_for(client, url) == few


def test_new_topic_page_costs_the_same_in_an_empty_category_as_in_a_full_one(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    empty, full = CategoryFactory(), CategoryFactory()
    for index in range(20):
        make_topic(category=full, title=f"Topic {index}")
    few = queries_for(client, f"/c/{empty.pk}-{empty.slug}/new/")
    url = f"/c/{full.pk}-{full.slug}/new/"
    # 1 session, 2 member, 3 category, 4 the member's upload policies (for the editor),
    # 5 the categories the member moderates (forums.policy: the header's link to the queue),
    # 6 the member's "follow when posting" setting (the form's box), 7 the bell's unread count.
    with django_assert_max_num_queries(7):
        client.get(url)
    assert queries_for(client, url) == few


def test_sign_in_and_sign_up_pages_cost_at_most_one_query_for_a_visitor(
    client, db, django_assert_max_num_queries
):
    for _ in range(10):
        MemberFactory()
    for url in ("/accounts/login/", "/accounts/signup/"):
        # 1 the site record (allauth's), until Django's per-process site cache holds it.
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200


def test_sign_up_page_of_a_guest_costs_the_same_whatever_the_number_of_pending_posts(
    client, db, django_assert_max_num_queries
):
    topic = make_topic(replies=1)
    guest_reply(client, topic, body="The first from this browser")
    client.get("/accounts/signup/")  # the site record is cached per process from here on
    few = queries_for(client, "/accounts/signup/")
    for index in range(4):
        guest_reply(client, topic, body=f"Another one {index}", email=f"g{index}@example.net")
    # 1 this browser's pending posts with topic and guest record, 2 whether the display name
    # the guest gave is free as a username.
    with django_assert_max_num_queries(2):
        page = client.get("/accounts/signup/").content.decode()
    assert "Another one 3" in page
    assert queries_for(client, "/accounts/signup/") == few


def test_waiting_posts_page_costs_the_same_with_one_post_as_with_five(
    client_factory, member, django_assert_max_num_queries
):
    topic = make_topic(replies=1)
    guest = client_factory()
    guest_reply(guest, topic, body="Written as a guest", email=member.email)
    owner = client_factory()
    owner.force_login(member)
    few = queries_for(owner, "/accounts/waiting-posts/")
    for index in range(4):
        guest_reply(guest, topic, body=f"Also as a guest {index}", email=member.email)
    # 1 session, 2 member, 3 the member's verified addresses, 4 posts waiting under them
    # with topic and guest record, 5 the header bell's unread count.
    with django_assert_max_num_queries(5):
        page = owner.get("/accounts/waiting-posts/").content.decode()
    assert "Also as a guest 3" in page
    assert queries_for(owner, "/accounts/waiting-posts/") == few


def reported_posts(count: int, moderator) -> None:
    """`count` posts, each reported by two members."""
    from folkmoot.moderation import services as moderation

    topic = make_topic(replies=count)
    for post in topic.posts.filter(number__gt=1):
        for _ in range(2):
            moderation.report_post(post=post, reporter=MemberFactory(), reason="spam", note="x")


def test_moderation_queue_costs_the_same_with_one_report_as_with_forty(
    client, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)
    reported_posts(1, moderator)
    few = queries_for(client, "/mod/queue/")
    reported_posts(19, moderator)
    # 1 session, 2 moderator, 3 held posts, 4 open reports with reporter, post, its author,
    # topic and category, 5 nominated posts (none here), 6 the header bell's unread count.
    with django_assert_max_num_queries(6):
        page = client.get("/mod/queue/").content.decode()
    assert page.count('class="reported-post') == 20
    assert queries_for(client, "/mod/queue/") == few


def test_moderation_log_costs_the_same_with_one_line_as_with_fifty(
    client, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)
    topic = make_topic(replies=3)
    services.pin_topic(topic=topic, actor=moderator, pinned=True)
    few = queries_for(client, "/mod/log/")
    for index in range(60):
        services.lock_topic(topic=topic, actor=moderator, locked=index % 2 == 0)
    services.hide_post(post=topic.posts.get(number=2), actor=moderator, reason="x")
    # 1 session, 2 moderator, 3 categories for the filter, 4 a page of lines with moderator,
    # member, topic, post and category, 5 the header bell's unread count.
    with django_assert_max_num_queries(5):
        client.get("/mod/log/?category=&action=")
    assert queries_for(client, "/mod/log/") == few


def test_a_moderators_topic_page_costs_the_same_with_hidden_posts_and_tools(
    client, db, django_assert_max_num_queries
):
    category = CategoryFactory()
    catmod = MemberFactory()
    category.moderators.add(catmod)
    CategoryFactory().moderators.add(catmod)  # somewhere to move to
    short = make_topic(category=category)
    full = make_topic(category=category, replies=24)
    for number in (3, 5, 7):
        services.hide_post(post=full.posts.get(number=number), actor=catmod, reason="x")
    client.force_login(catmod)
    short_url, full_url = short.get_absolute_url(), full.get_absolute_url()
    # 1 session, 2 moderator, 3 topic with category, 4 the categories they moderate,
    # 5 page of posts (hidden ones too) with authors, 6 the categories to move to,
    # 7 upload policies (for the editor), 8 the topic's follower count and whether they
    # follow it, 9 their "follow when posting" setting, 10 the header bell's unread count,
    # 11 their own reactions on the page's posts, 12 how far they have read the topic,
    # 13 the members they ignore (people: their posts collapse).
    with django_assert_max_num_queries(13):
        page = client.get(full_url).content.decode()
    assert page.count("This post was hidden") == 3
    assert queries_for(client, short_url) == queries_for(client, full_url)
