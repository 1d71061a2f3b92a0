"""A member who comes back to a topic through its plain address lands where their unread
posts start, when that is on a later page; page numbers and permalinks open where they say,
and anonymous readers (served from the page cache) are never sent anywhere."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from folkmoot.discussions import services as discussion_services
from folkmoot.notifications.models import TopicRead
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic


@pytest.fixture(autouse=True)
def pages_of_two(settings):
    set_limits(settings, POSTS_PER_PAGE=2)


def read_up_to(client, topic, number: int):
    assert client.post(f"/t/{topic.pk}/read/", {"number": str(number)}).status_code == 302


def queries_of(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, len(captured)


def test_the_plain_address_opens_at_the_first_unread_post_on_a_later_page(reader_client):
    topic = make_topic(replies=6)  # posts 1..7: pages [1 2] [3 4] [5 6] [7]
    read_up_to(reader_client, topic, 4)
    response = reader_client.get(topic.get_absolute_url())
    assert response.status_code == 302
    # Where the "New posts" link of the topic lists goes too.
    assert response["Location"] == f"{topic.get_absolute_url()}?page=3#post-5"
    assert reader_client.get(f"/t/{topic.pk}/unread/")["Location"] == response["Location"]
    page = reader_client.get(response["Location"]).content.decode()
    assert 'class="post unread" id="post-5"' in page


def test_hidden_posts_do_not_count_in_the_page_it_opens_at(reader_client):
    topic = make_topic(replies=6)
    moderator = MemberFactory(is_staff=True)
    discussion_services.delete_post(post=topic.posts.get(number=2), actor=moderator)
    read_up_to(reader_client, topic, 5)  # published: 1 3 | 4 5 | 6 7
    assert reader_client.get(topic.get_absolute_url())["Location"] == (
        f"{topic.get_absolute_url()}?page=3#post-6"
    )


def test_the_first_page_opens_as_it_is_when_the_first_unread_post_is_on_it(reader_client):
    topic = make_topic(replies=4)
    read_up_to(reader_client, topic, 1)
    response = reader_client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert 'class="post unread" id="post-2"' in response.content.decode()


def test_a_first_visit_opens_at_the_top(reader_client):
    topic = make_topic(replies=6)
    response = reader_client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert 'id="post-1"' in response.content.decode()


def test_a_topic_read_to_the_end_opens_at_the_top(reader_client, reader):
    topic = make_topic(replies=6)
    read_up_to(reader_client, topic, 7)
    assert reader_client.get(topic.get_absolute_url()).status_code == 200
    # "Mark all read" counts too: what was posted before it is read.
    read_up_to(reader_client, topic, 2)
    TopicRead.objects.filter(member=reader, topic=topic).update(last_number=2)
    reader_client.post("/unread/read-all/")
    assert reader_client.get(topic.get_absolute_url()).status_code == 200


def test_page_numbers_and_permalinks_open_where_they_say(reader_client):
    topic = make_topic(replies=6)
    read_up_to(reader_client, topic, 4)
    url = topic.get_absolute_url()
    for page in ("1", "2", "4"):
        assert reader_client.get(f"{url}?page={page}").status_code == 200, page
    first = topic.posts.get(number=1)
    location = reader_client.get(first.get_absolute_url())["Location"]
    assert location == f"{url}?page=1#post-1"
    page = reader_client.get(location)
    assert page.status_code == 200
    assert 'id="post-1"' in page.content.decode()
    # Quoting without JavaScript stays on the page too.
    assert reader_client.get(f"{url}?quote={first.pk}").status_code == 200


def test_the_members_own_reply_lands_on_their_post(reader_client, reader):
    topic = make_topic(replies=6)
    read_up_to(reader_client, topic, 2)
    response = reader_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Me too"})
    page = reader_client.get(response["Location"], follow=True)
    assert "Me too" in page.content.decode()
    # Their reply counts as read, and so everything before it: the topic opens at the top.
    assert reader_client.get(topic.get_absolute_url()).status_code == 200


def test_anonymous_readers_open_the_plain_address_at_the_top(client, db):
    topic = make_topic(replies=6)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert 'id="post-1"' in response.content.decode()
    permalink = client.get(topic.posts.get(number=1).get_absolute_url())
    assert permalink["Location"] == f"{topic.get_absolute_url()}#post-1"


def test_opening_at_the_top_costs_no_query_more_and_resuming_a_bounded_few(
    reader_client, reader, django_assert_max_num_queries
):
    short = make_topic(replies=1)
    long = make_topic(replies=40)
    never_read = make_topic(replies=40)
    read_up_to(reader_client, short, 1)
    read_up_to(reader_client, long, 1)
    status, plain = queries_of(reader_client, never_read.get_absolute_url())
    assert status == 200
    # The first unread post on page 1: the same page for the same queries.
    assert queries_of(reader_client, long.get_absolute_url()) == (200, plain)
    assert queries_of(reader_client, short.get_absolute_url()) == (200, plain)
    read_up_to(reader_client, long, 30)
    # The page's own reads, then 1 the first unread post, 2 the posts before it (its page).
    with django_assert_max_num_queries(plain + 2):
        response = reader_client.get(long.get_absolute_url())
    assert response["Location"].endswith("?page=16#post-31")


@pytest.mark.django_db(transaction=True)
def test_the_cached_anonymous_page_is_the_same_for_readers_whatever_members_read(
    settings, client_factory
):
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    reader = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    topic = make_topic(replies=6)
    anonymous = client_factory()
    first = anonymous.get(topic.get_absolute_url())
    member = client_factory()
    member.force_login(reader)
    read_up_to(member, topic, 4)
    assert member.get(topic.get_absolute_url()).status_code == 302
    again = anonymous.get(topic.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content
