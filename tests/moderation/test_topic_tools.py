"""Moderators of a category pin, lock and move its topics from the topic page, without
JavaScript (plain forms); nobody else can. Every change is one line in the moderation log."""

import pytest

from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
from folkmoot.forums.models import Category
from folkmoot.moderation.models import ModerationLog
from folkmoot.refusal import NotFound
from tests.factories import CategoryFactory, make_topic
from tests.moderation.roles import ALLOWED


@pytest.mark.parametrize("role", ALLOWED)
def test_only_moderators_of_the_category_pin_and_lock(people, topic, role):
    actor = people[role]
    if not ALLOWED[role]:
        with pytest.raises(NotFound):
            services.pin_topic(topic=topic, actor=actor, pinned=True)
        with pytest.raises(NotFound):
            services.lock_topic(topic=topic, actor=actor, locked=True)
        topic.refresh_from_db()
        assert not topic.is_pinned and not topic.is_locked
        assert not ModerationLog.objects.exists()
        return
    assert services.pin_topic(topic=topic, actor=actor, pinned=True)
    assert services.lock_topic(topic=topic, actor=actor, locked=True)
    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_locked
    lines = list(ModerationLog.objects.order_by("pk").values_list("action", "moderator", "after"))
    assert lines == [("pin", actor.pk, "pinned"), ("lock", actor.pk, "locked")]


def test_pinning_twice_logs_once(people, topic):
    mod = people["category_moderator"]
    assert services.pin_topic(topic=topic, actor=mod, pinned=True)
    assert not services.pin_topic(topic=topic, actor=people["staff"], pinned=True)
    assert ModerationLog.objects.filter(action="pin").count() == 1


def test_a_locked_topic_says_so_and_offers_no_reply_box(client, people, topic):
    services.lock_topic(topic=topic, actor=people["staff"], locked=True)
    url = topic.get_absolute_url()

    guest_page = client.get(url).text
    assert "This topic is locked." in guest_page
    assert "You need to be a member to reply" not in guest_page
    assert 'name="body"' not in guest_page

    client.force_login(people["member"])
    member_page = client.get(url).text
    assert "This topic is locked" in member_page
    assert 'name="body"' not in member_page
    # And the server refuses a reply sent anyway.
    response = client.post(f"{url}reply/", {"body": "Sneaking in"})
    assert response.status_code == 404
    assert not topic.posts.filter(body="Sneaking in").exists()

    client.force_login(people["category_moderator"])
    moderator_page = client.get(url).text
    assert 'name="body"' in moderator_page
    assert "as a moderator you may still reply" in moderator_page


def test_tools_bar_pins_locks_and_unlocks_without_javascript(client, people, topic):
    client.force_login(people["category_moderator"])
    page = client.get(topic.get_absolute_url()).text
    assert "Moderator tools for this topic" in page
    assert f'action="/mod/t/{topic.pk}/lock/"' in page

    response = client.post(f"/mod/t/{topic.pk}/lock/", {"locked": "1"})
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    page = client.get(response.url).text
    assert "Locked the topic." in page and ">Unlock<" in page
    client.post(f"/mod/t/{topic.pk}/lock/", {"locked": "0"})
    client.post(f"/mod/t/{topic.pk}/pin/", {"pinned": "1"})
    topic.refresh_from_db()
    assert not topic.is_locked and topic.is_pinned


def test_readers_never_see_the_tools(client, people, topic):
    assert "Moderator tools" not in client.get(topic.get_absolute_url()).text
    for role in ("member", "other_moderator"):
        client.force_login(people[role])
        page = client.get(topic.get_absolute_url()).text
        assert "Moderator tools" not in page
        assert "/hide/" not in page and "/delete/" not in page and "This post was" not in page
        assert client.post(f"/mod/t/{topic.pk}/pin/", {"pinned": "1"}).status_code == 404
    topic.refresh_from_db()
    assert not topic.is_pinned


def counts(*categories):
    return [
        (c.topic_count, c.post_count, c.last_post_id)
        for c in Category.objects.filter(pk__in=[c.pk for c in categories]).order_by("pk")
    ]


def test_moving_a_topic_carries_its_counts_and_its_old_urls_still_resolve(client, people, category):
    origin = category
    target = CategoryFactory(name="Target")
    target.moderators.add(people["category_moderator"])
    stays = make_topic(category=origin, title="Staying put", replies=1)
    moving = make_topic(category=origin, title="On the move", replies=2)
    already = make_topic(category=target, title="Already there", replies=3)
    old_url = moving.get_absolute_url()
    old_permalink = moving.posts.get(number=2).get_absolute_url()

    client.force_login(people["category_moderator"])
    page = client.get(old_url).text
    assert f'<option value="{target.pk}">Target</option>' in page
    response = client.post(f"/mod/t/{moving.pk}/move/", {"category": str(target.pk)})
    assert response.status_code == 302

    origin.refresh_from_db()
    target.refresh_from_db()
    assert (origin.topic_count, origin.post_count) == (1, 2)
    assert origin.last_post == stays.last_post
    assert (target.topic_count, target.post_count) == (2, 7)
    moving.refresh_from_db()
    assert target.last_post == max(
        [moving.last_post, already.last_post], key=lambda p: (p.created_at, p.pk)
    )
    client.logout()
    assert client.get(old_url).status_code == 200
    assert "Target" in client.get(old_url).text  # breadcrumbs name the new category
    assert client.get(old_permalink).status_code == 302
    assert moving.title in client.get(target.get_absolute_url()).text
    assert moving.title not in client.get(origin.get_absolute_url()).text
    line = ModerationLog.objects.get(action="move")
    assert (line.before, line.after, line.category_id) == (origin.name, "Target", origin.pk)


def test_a_move_needs_a_moderator_of_both_categories(people, topic):
    elsewhere = people["other_moderator"].moderated_categories.get()
    with pytest.raises(NotFound):
        services.move_topic(topic=topic, actor=people["category_moderator"], to=elsewhere)
    with pytest.raises(NotFound):
        services.move_topic(topic=topic, actor=people["other_moderator"], to=elsewhere)
    assert Topic.objects.get(pk=topic.pk).category_id == topic.category_id
    assert services.move_topic(topic=topic, actor=people["staff"], to=elsewhere)
