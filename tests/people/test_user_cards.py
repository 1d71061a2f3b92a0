"""The user card: a small fragment (picture, name, join date, post count, reputation) fetched
when a reader hovers or focuses a member's name; the topic page itself pays nothing for it."""

from folkmoot.discussions import services
from folkmoot.people import services as people
from tests.factories import MemberFactory, make_topic


def test_the_card_shows_the_member_at_a_glance(client, db):
    author = MemberFactory(username="ingrid")
    topic = make_topic(author=author)
    services.react(post=topic.posts.get(number=1), member=MemberFactory(), kind="like")
    people.update_settings(
        member=author, display_name="Ingrid Dahl", signature="", time_zone="", theme="system"
    )
    response = client.get("/u/ingrid/card/")
    assert response.status_code == 200
    html = response.text
    assert '<a href="/u/ingrid/">Ingrid Dahl</a> <span class="muted">@ingrid</span>' in html
    assert "<dt>Posts</dt><dd>1</dd>" in html and "<dt>Reputation</dt><dd>1</dd>" in html
    assert "<dt>Joined</dt>" in html
    assert "<html" not in html  # a fragment, not a page


def test_deactivated_and_unknown_members_have_no_card(client, db):
    MemberFactory(username="gone", is_active=False)
    assert client.get("/u/gone/card/").status_code == 404
    assert client.get("/u/nobody/card/").status_code == 404


def test_a_card_costs_two_queries(client, db, django_assert_num_queries):
    author = MemberFactory(username="ingrid")
    make_topic(author=author, replies=5)
    # 1 the member, 2 the reactions their public posts received.
    with django_assert_num_queries(2):
        client.get("/u/ingrid/card/")


def test_names_on_the_topic_page_lead_to_cards_without_costing_it_a_query(client, db):
    topic = make_topic(author=MemberFactory(username="astrid"))
    html = client.get(topic.get_absolute_url()).text
    assert 'data-user-card="/u/astrid/card/"' in html
    assert '<script src="/static/folkmoot/user-card.js" defer></script>' in html
