"""The cached frame around each post never shows stale content."""

from folkmoot.discussions import services
from tests.factories import make_topic


def test_an_edit_shows_at_once_even_after_the_page_was_cached(client, topic, member):
    url = f"/t/{topic.pk}-{topic.slug}/"
    assert "The first post of the topic." in client.get(url).text
    services.edit_post(post=topic.posts.get(number=1), editor=member, body="Rewritten opening")
    page = client.get(url).text
    assert "Rewritten opening" in page
    assert "The first post of the topic." not in page
    assert "(edited)" in page


def test_an_authors_post_count_stays_current_on_their_older_posts(client, topic, member):
    url = f"/t/{topic.pk}-{topic.slug}/"
    assert "1 post<" in client.get(url).text
    make_topic(author=member)
    assert "2 posts<" in client.get(url).text


def test_share_links_name_the_host_the_reader_used(client, db):
    topic = make_topic(replies=1)
    url = f"/t/{topic.pk}-{topic.slug}/"
    post = topic.posts.get(number=2)
    assert f'value="http://testserver/p/{post.pk}/"' in client.get(url).text
    other = client.get(url, HTTP_HOST="localhost").text
    assert f'value="http://localhost/p/{post.pk}/"' in other
    # The first post shares the topic.
    assert f'value="http://localhost{topic.get_absolute_url()}"' in other
