"""Each post's row (reactions, share box, quote, edit and moderation links) is drawn from a
pattern made once per shape and language (discussions/post_html.py): every reader still sees
their own links, every post its own values, in the reader's language."""

import re

from folkmoot.discussions import services
from tests.factories import MemberFactory, make_topic


def _rows(html: str) -> dict[int, str]:
    """Each published post's <article>, by post number."""
    articles = re.findall(r'<article class="post[^"]*" id="post-\d+".*?</article>', html, re.S)
    return {int(re.search(r'id="post-(\d+)"', row)[1]): row for row in articles}


def test_readers_of_one_page_in_turn_each_see_only_their_own_links(client, db):
    author = MemberFactory()
    moderator = MemberFactory(is_staff=True)
    topic = make_topic(author=author, replies=2)
    url = topic.get_absolute_url()

    client.force_login(author)
    own = _rows(client.get(url).text)
    assert "Edit post 1" in own[1] and "Report post 1" not in own[1]
    assert "Report post 2" in own[2] and "Edit post 2" not in own[2]

    client.force_login(moderator)
    moderated = _rows(client.get(url).text)
    assert all(f"Hide post #{number}" in moderated[number] for number in (1, 2, 3))
    # Post 1 is the topic: deleting it is not offered there.
    assert "/delete/" not in moderated[1]
    assert "/delete/" in moderated[2]

    client.logout()
    anonymous = _rows(client.get(url).text)
    for row in anonymous.values():
        assert "Edit post" not in row and "Hide post" not in row and "Report post" not in row
        assert 'name="csrfmiddlewaretoken"' not in row


def test_each_post_of_one_shape_shows_its_own_number_author_and_links(client, db):
    topic = make_topic(replies=3)
    html = client.get(topic.get_absolute_url()).text
    rows = _rows(html)
    for post in topic.posts.select_related("author"):
        row = rows[post.number]
        assert f'data-post-id="{post.pk}"' in row
        assert f"Share post {post.number} by {post.author.display_name}" in row
        assert f"/p/{post.pk}/" in row
    assert f'value="http://testserver/p/{topic.posts.get(number=3).pk}/"' in rows[3]


def test_names_and_titles_are_escaped_and_never_taken_for_placeholders(client, db):
    author = MemberFactory(chosen_name="<b>Bold</b> & {co} 9081700062534")
    topic = make_topic(author=author, title="Braces {pk} & <tags> 9081700162534")
    services.reply(topic=topic, author=author, body="Says 9081700362534 and {frame}")
    html = client.get(topic.get_absolute_url()).text
    rows = _rows(html)
    assert "Share post 2 by &lt;b&gt;Bold&lt;/b&gt; &amp; {co} 9081700062534" in rows[2]
    assert "<b>Bold</b>" not in html
    assert 'data-share-title="Braces {pk} &amp; &lt;tags&gt; 9081700162534"' in rows[2]
    assert "Braces%20%7Bpk%7D%20%26%20%3Ctags%3E%209081700162534" in rows[2]
    assert "Says 9081700362534 and {frame}" in rows[2]


def test_reaction_counts_are_each_posts_own(client, member, db):
    topic = make_topic(replies=2)
    first, second = topic.posts.filter(number__in=(2, 3)).order_by("number")
    services.react(post=first, member=member, kind="like")
    for _ in range(3):
        services.react(post=second, member=MemberFactory(), kind="like")
    rows = _rows(client.get(topic.get_absolute_url()).text)
    assert re.search(r"Like</span>1</a>", rows[2])
    assert re.search(r"Like</span>3</a>", rows[3])
    assert "reaction-chip" not in rows[1]


def test_the_same_rows_in_german_then_english(client, db):
    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    client.cookies["language"] = "de"
    german = _rows(client.get(url).text)
    client.cookies["language"] = "en"
    english = _rows(client.get(url).text)
    assert "Teilen" in german[2] and ">Share<" not in german[2]
    assert ">Share<" in english[2] and "Teilen" not in english[2]
