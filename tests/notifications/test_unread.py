"""Unread tracking: which topics and posts a member has not read, where they start, and how
reading is recorded (a POST from the page, never the GET that shows it)."""

from folkmoot.discussions import services as discussion_services
from folkmoot.notifications import kinds, services
from folkmoot.notifications.models import Notification, TopicRead
from tests.factories import CategoryFactory, MemberFactory, make_topic


def read_up_to(client, topic, number: int, **headers):
    return client.post(f"/t/{topic.pk}/read/", {"number": str(number)}, **headers)


def reply(topic, body="A newer reply"):
    post = discussion_services.reply(topic=topic, author=MemberFactory(), body=body)
    topic.refresh_from_db()
    return post


def category_page(client, topic) -> str:
    return client.get(topic.category.get_absolute_url()).content.decode()


def test_a_topic_with_unread_posts_is_marked_in_its_category_until_read(reader_client):
    topic = make_topic(replies=2)
    assert f'href="/t/{topic.pk}/unread/"' in category_page(reader_client, topic)
    response = read_up_to(reader_client, topic, 3, HTTP_ACCEPT="application/json")
    assert response.json() == {"read": 3}
    page = category_page(reader_client, topic)
    assert f'href="/t/{topic.pk}/unread/"' not in page
    assert "topic-row unread" not in page
    reply(topic)
    assert "topic-row unread" in category_page(reader_client, topic)


def test_the_first_unread_link_opens_the_page_and_post_where_reading_stops(reader_client, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    topic = make_topic(replies=4)  # posts 1..5: pages of 2
    read_up_to(reader_client, topic, 3)
    response = reader_client.get(f"/t/{topic.pk}/unread/")
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-4"
    read_up_to(reader_client, topic, 5)
    # Everything read: the last post.
    assert reader_client.get(f"/t/{topic.pk}/unread/")["Location"].endswith("?page=3#post-5")


def test_a_topic_never_opened_starts_at_its_first_post(reader_client):
    topic = make_topic(replies=1)
    assert reader_client.get(f"/t/{topic.pk}/unread/")["Location"] == (
        f"{topic.get_absolute_url()}#post-1"
    )


def test_the_topic_page_marks_the_posts_not_read_yet(reader_client):
    topic = make_topic(replies=3)
    read_up_to(reader_client, topic, 2)
    page = reader_client.get(topic.get_absolute_url()).content.decode()
    assert 'class="post unread" id="post-3"' in page
    assert 'class="post unread" id="post-4"' in page
    assert 'class="post" id="post-2"' in page
    assert page.count('id="first-unread"') == 1
    assert page.index('id="first-unread"') > page.index('id="post-3"')


def test_reading_keeps_one_row_per_member_and_topic_and_never_goes_back(reader_client, reader):
    topic = make_topic(replies=5)
    read_up_to(reader_client, topic, 4)
    read_up_to(reader_client, topic, 2)  # an older tab reporting late
    read_up_to(reader_client, topic, 999)  # no further than the topic goes
    assert list(
        TopicRead.objects.filter(member=reader).values_list("member", "topic", "last_number")
    ) == [(reader.pk, topic.pk, 6)]


def test_the_mark_read_button_works_without_javascript(reader_client):
    topic = make_topic(replies=2)
    page = reader_client.get(topic.get_absolute_url()).content.decode()
    assert 'name="number" value="3"' in page
    response = reader_client.post(
        f"/t/{topic.pk}/read/", {"number": "3", "next": topic.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()
    assert "topic-row unread" not in category_page(reader_client, topic)


def test_mark_all_read_clears_every_topic_with_one_row(reader_client, reader):
    category = CategoryFactory()
    topics = [make_topic(category=category, title=f"Topic {n}", replies=1) for n in range(3)]
    assert category_page(reader_client, topics[0]).count("topic-row unread") == 3
    response = reader_client.post("/unread/read-all/", {"next": category.get_absolute_url()})
    assert response.status_code == 302
    assert "topic-row unread" not in category_page(reader_client, topics[0])
    assert TopicRead.objects.filter(member=reader).count() == 1
    reply(topics[1])
    page = category_page(reader_client, topics[0])
    assert page.count("topic-row unread") == 1
    assert f'href="/t/{topics[1].pk}/unread/"' in page
    location = reader_client.get(f"/t/{topics[1].pk}/unread/")["Location"]
    assert location.endswith("#post-3")


def test_the_index_marks_a_category_whose_latest_topic_is_unread(reader_client):
    topic = make_topic(replies=1)
    assert f'href="/t/{topic.pk}/unread/"' in reader_client.get("/").content.decode()
    read_up_to(reader_client, topic, 2)
    assert f'href="/t/{topic.pk}/unread/"' not in reader_client.get("/").content.decode()


def test_what_was_posted_before_a_member_joined_is_not_unread(client, db):
    topic = make_topic(replies=1)
    newcomer = MemberFactory()
    client.force_login(newcomer)
    assert "topic-row unread" not in category_page(client, topic)
    reply(topic)
    assert "topic-row unread" in category_page(client, topic)
    assert client.get(f"/t/{topic.pk}/unread/")["Location"].endswith("#post-3")


def test_reading_a_topic_marks_its_notifications_read_up_to_there(reader_client, reader):
    topic = make_topic(replies=1)
    second, third = reply(topic, "Second"), reply(topic, "Third")
    for post in (second, third):
        services.notify(kinds.MENTIONED, recipients=[reader], post=post)
    unread = Notification.objects.filter(recipient=reader, read_at__isnull=True)
    assert unread.count() == 2
    read_up_to(reader_client, topic, second.number)
    assert list(unread.values_list("post", flat=True)) == [third.pk]
    read_up_to(reader_client, topic, third.number)
    assert not unread.exists()


def test_a_member_cannot_record_reading_a_topic_they_may_not_see(reader_client, reader):
    held = discussion_services.start_topic(
        category=CategoryFactory(moderate_new_members=True),
        author=MemberFactory(),
        title="Held until approved",
        body="Waiting",
    )
    assert held.post_count == 0
    assert read_up_to(reader_client, held, 1).status_code == 404
    assert reader_client.get(f"/t/{held.pk}/unread/").status_code == 404
    assert not TopicRead.objects.exists()


def test_a_post_number_must_be_digits(reader_client, reader):
    topic = make_topic()
    for bad in ("", "-1", "٣", "1e3", "9" * 20):
        assert read_up_to(reader_client, topic, bad).status_code == 400, bad  # type: ignore[arg-type]
    assert not TopicRead.objects.filter(member=reader).exists()


def test_a_visitor_is_sent_to_sign_in(client, db):
    topic = make_topic(replies=1)
    assert client.post(f"/t/{topic.pk}/read/", {"number": "2"})["Location"].startswith(
        "/accounts/login/"
    )


def test_the_anonymous_page_cache_never_holds_a_members_marks(client_factory, reader, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "PAGE_CACHE_SECONDS": 60}
    topic = make_topic(replies=2)
    member = client_factory()
    member.force_login(reader)
    assert 'class="post unread"' in member.get(topic.get_absolute_url()).content.decode()
    visitor = client_factory()
    for _ in range(2):  # rendered, then from the cache
        page = visitor.get(topic.get_absolute_url()).content.decode()
        assert "unread" not in page
        assert "Mark read" not in page
