"""Quoting a post into the reply box: a block quote that cites its author and links back."""

import html as html_lib

from folkmoot.discussions import services
from folkmoot.forums.models import Category
from tests.factories import CategoryFactory, make_topic


def reply_box(page: str) -> str:
    return html_lib.unescape(page.split('<section class="reply-box"')[1].split("</textarea>")[0])


def test_quote_without_javascript_opens_the_reply_box_with_the_quote(member_client, db):
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    page = member_client.get(f"{topic.get_absolute_url()}?quote={post.pk}").text
    box = reply_box(page)
    assert f"> **[{post.author.username}](/p/{post.pk}/) wrote:**" in box
    assert "> Reply number 1" in box


def test_the_quote_link_is_on_every_post_for_those_who_may_reply(client, member_client, db):
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    assert f"quote={post.pk}#reply" in member_client.get(topic.get_absolute_url()).text
    member_client.logout()
    assert f"quote={post.pk}#reply" in client.get(topic.get_absolute_url()).text  # guests
    closed = make_topic(category=CategoryFactory(guest_policy=Category.GuestPolicy.NONE))
    opening = closed.posts.get(number=1)
    assert f"quote={opening.pk}#reply" not in client.get(closed.get_absolute_url()).text


def test_a_hidden_post_cannot_be_quoted(member_client, moderator, db):
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    services.delete_post(post=post, actor=moderator)
    box = reply_box(member_client.get(f"{topic.get_absolute_url()}?quote={post.pk}").text)
    assert "Reply number 1" not in box
    assert member_client.get(f"/p/{post.pk}/quote/").status_code == 404
    assert member_client.get(f"{topic.get_absolute_url()}?quote=x1").status_code == 200


def test_the_page_script_gets_the_quote_as_markdown(member_client, db):
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    answer = member_client.get(f"/p/{post.pk}/quote/").json()
    assert answer["markdown"].startswith(f"> **[{post.author.username}](/p/{post.pk}/) wrote:**")


def test_a_posted_quote_renders_as_a_citation_linking_to_the_post(member, db):
    topic = make_topic(replies=1)
    post = topic.posts.get(number=2)
    quote = f"> **[{post.author.username}](/p/{post.pk}/) wrote:**\n>\n> Reply number 1\n\nAgreed."
    mine = services.reply(topic=topic, author=member, body=quote)
    assert "<blockquote>" in mine.cooked
    assert f'<a href="/p/{post.pk}/"' in mine.cooked
    assert "Agreed." in mine.cooked
