"""Reactions and recommendations on the anonymous page cache and the query budget: cached
pages show the counts at once, never a member's own state, and cost no extra query."""

import pytest
from django.test import Client

from folkmoot.discussions import services
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reaction_shows_on_the_cached_anonymous_page_at_once_without_the_members_state(
    client, settings
):
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    url = topic.get_absolute_url()
    client.get(url)  # cached
    member = MemberFactory()
    member_client = Client()
    member_client.force_login(member)
    member_client.post(f"/p/{post.pk}/react/", {"kind": "like"})
    assert 'aria-pressed="true"' in member_client.get(url).text
    anonymous = client.get(url).text
    assert '<span class="visually-hidden">Like</span>1</a>' in anonymous
    assert 'aria-pressed="true"' not in anonymous
    assert client.get(url).content == client.get(url).content  # served from the cache


def test_anonymous_topic_page_costs_two_queries_with_reactions_and_three_with_recommendations(
    client, django_assert_num_queries
):
    topic = make_topic(replies=24)
    moderator = MemberFactory(is_staff=True)
    for post in topic.posts.all()[:20]:
        services.react(post=post, member=MemberFactory(), kind="like")
    # 1 topic with category, 2 page of posts with authors (their counts are on their rows).
    with django_assert_num_queries(2):
        client.get(topic.get_absolute_url())
    services.recommend_post(post=topic.posts.get(number=3), moderator=moderator, note="Read")
    # 3 the recommended posts with authors and moderators, only for topics that have some.
    with django_assert_num_queries(3):
        one = client.get(topic.get_absolute_url()).text
    for number in (4, 5, 6, 7):
        services.recommend_post(post=topic.posts.get(number=number), moderator=moderator)
    with django_assert_num_queries(3):
        five = client.get(topic.get_absolute_url()).text
    assert one.count('class="recommended-post"') == 1
    assert five.count('class="recommended-post"') == 5
