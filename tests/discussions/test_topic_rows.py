"""A category page's topic rows are drawn from patterns made once per shape and language
(discussions/topic_rows.py): every topic still shows its own title, names, counts and links,
escaped, and its reply count in the reader's language's plural form."""

import re

from folkmoot.discussions.models import Post, Topic
from tests.factories import CategoryFactory, MemberFactory, make_topic


def _rows(html: str) -> dict[str, str]:
    """Each topic's row, by the address its title links to."""
    rows = re.findall(r'<li class="topic-row.*?</li>', html, re.S)
    return {re.search(r'topic-title-link" href="([^"]+)"', row)[1]: row for row in rows}


def test_each_topic_of_one_shape_shows_its_own_title_author_count_and_last_post(client, db):
    category = CategoryFactory()
    topics = [
        make_topic(category=category, title=f"Topic number {index}", replies=2)
        for index in range(3)
    ]
    rows = _rows(client.get(category.get_absolute_url()).text)
    assert len(rows) == 3
    for topic in topics:
        row = rows[topic.get_absolute_url()]
        last = topic.last_post
        assert f">Topic number {topic.title[-1]}</a>" in row
        assert f"by {topic.author.display_name}, " in row
        assert "2 replies" in row
        assert f'<a href="{last.get_absolute_url()}">' in row
        assert f"<span>{last.author.display_name},</span>" in row
        assert f">{last.author.initial}</span>" in row


def test_titles_and_names_are_escaped_and_never_taken_for_placeholders(client, db):
    author = MemberFactory(chosen_name="<b>Bold</b> & {title} 9081700262534")
    topic = make_topic(author=author, title='Braces {pk} & <tags> "q" 9081700162534 مرحبا')
    row = _rows(client.get(topic.category.get_absolute_url()).text)[topic.get_absolute_url()]
    assert ">Braces {pk} &amp; &lt;tags&gt; &quot;q&quot; 9081700162534 مرحبا</a>" in row
    assert "by &lt;b&gt;Bold&lt;/b&gt; &amp; {title} 9081700262534, " in row
    assert "<b>" not in row and "<tags>" not in row


def test_reply_counts_take_each_languages_plural_form(client, db):
    category = CategoryFactory()
    topics = {replies: make_topic(category=category, replies=replies) for replies in (0, 1, 2)}
    big = make_topic(category=category)
    Topic.objects.filter(pk=big.pk).update(post_count=1235)
    url = category.get_absolute_url()
    expected = {
        "en": {0: "0 replies", 1: "1 reply", 2: "2 replies", "big": "1,234 replies"},
        "de": {0: "0 Antworten", 1: "1 Antwort", 2: "2 Antworten", "big": "1.234 Antworten"},
    }
    for language, counts in expected.items():
        client.cookies["language"] = language
        rows = _rows(client.get(url).text)
        for replies, topic in [*topics.items(), ("big", big)]:
            shown = re.search(r'topic-replies">([^<]*)<', rows[topic.get_absolute_url()])[1]
            assert shown == counts[replies], (language, replies)


def test_pinned_locked_unread_and_guest_rows_each_keep_their_own_marks(client, db):
    reader = MemberFactory()
    category = CategoryFactory()
    pinned = make_topic(category=category, title="Pinned one")
    locked = make_topic(category=category, title="Locked one", replies=1)
    guest = make_topic(category=category, title="By a guest")
    Topic.objects.filter(pk=pinned.pk).update(is_pinned=True)
    Topic.objects.filter(pk=locked.pk).update(is_locked=True)
    Topic.objects.filter(pk=guest.pk).update(author=None)
    Post.objects.filter(topic=guest).update(author=None)

    client.force_login(reader)
    client.cookies["language"] = "de"
    rows = _rows(client.get(category.get_absolute_url()).text)
    pinned_row = rows[pinned.get_absolute_url()]
    locked_row = rows[locked.get_absolute_url()]
    guest_row = rows[guest.get_absolute_url()]
    assert 'class="topic-row pinned unread"' in pinned_row and "Angeheftet" in pinned_row
    assert 'class="topic-row locked unread"' in locked_row and "Gesperrt" in locked_row
    assert f'href="/t/{locked.pk}/unread/"' in locked_row
    assert "Angeheftet" not in locked_row and "Gesperrt" not in pinned_row
    assert "von Gast, " in guest_row and "avatar-guest" in guest_row
    assert "<span>Gast,</span>" in guest_row
    assert "avatar-guest" not in locked_row
