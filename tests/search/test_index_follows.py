"""The index follows moves, the reader's categories and the language setting."""

import pytest
from django.db import connection

from folkmoot.discussions import services
from folkmoot.search import backends, policy
from tests.factories import CategoryFactory
from tests.search.helpers import found_ids


def test_a_moved_topic_is_found_in_its_new_category_only(client, forum, moderator):
    garden, shed = CategoryFactory(name="Garden"), CategoryFactory(name="Shed")
    topic = forum.topic("Wheelbarrow", "A squeaky wheelbarrow.", category=garden)
    reply = forum.reply(topic, "Oil the wheelbarrow.")
    with forum.committed():
        services.move_topic(topic=topic, actor=moderator, to=shed)
    both = sorted([topic.posts.get(number=1).pk, reply.pk])
    assert sorted(found_ids(client, "wheelbarrow", category=shed.pk)) == both
    assert found_ids(client, "wheelbarrow", category=garden.pk) == []


def test_a_category_closed_to_the_reader_is_never_searched(client, forum, monkeypatch):
    """The reader's categories (policy.readable_category_ids, open to all today) are part of
    the query itself, for the count as for the page."""
    open_to_all, closed = CategoryFactory(name="Open"), CategoryFactory(name="Closed")
    shown = forum.topic("Lamps", "brass lamps", category=open_to_all).posts.get()
    forum.topic("Lamps too", "brass lamps", category=closed)
    monkeypatch.setattr(policy, "readable_category_ids", lambda user: [open_to_all.pk])
    response = client.get("/search/", {"q": "brass lamps"})
    assert [result.post.pk for result in response.context["results"].results] == [shown.pk]
    assert response.context["results"].total == 1
    assert found_ids(client, "brass", category=closed.pk) == []


@pytest.fixture
def index_language(settings):
    """Reinstalls the full-text structures under another language, and back after."""

    def install(name):
        settings.FOLKMOOT = {**settings.FOLKMOOT, "SEARCH_LANGUAGE": name}
        backends.engine().install(connection)

    yield install
    install("english")


def test_the_index_language_is_a_setting(client, forum, index_language):
    """English stems ("running" finds "runs"); the language-neutral `simple` does not, and
    accents still match either way."""
    post = forum.topic("Mornings", "She runs to the café every morning.").posts.get()
    assert found_ids(client, "running") == [post.pk]
    index_language("simple")
    assert found_ids(client, "running") == []
    assert found_ids(client, "runs") == [post.pk]
    assert found_ids(client, "cafe") == [post.pk]


def test_a_language_setting_that_is_not_a_word_is_refused(settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "SEARCH_LANGUAGE": "english'; DROP TABLE x"}
    with pytest.raises(ValueError, match="must be a word like 'english'"):
        backends.language()
