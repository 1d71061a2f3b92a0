from django.conf import settings

from folkmoot.discussions import services
from tests.factories import make_topic

PER_PAGE = settings.FOLKMOOT["POSTS_PER_PAGE"]


def test_permalink_redirects_to_the_page_and_anchor_of_the_post(client, db):
    topic = make_topic(replies=PER_PAGE + 2)
    last = topic.posts.get(number=PER_PAGE + 3)
    first = topic.posts.get(number=1)
    assert client.get(f"/p/{first.pk}/").url == f"/t/{topic.pk}-{topic.slug}/#post-1"
    assert (
        client.get(f"/p/{last.pk}/").url
        == f"/t/{topic.pk}-{topic.slug}/?page=2#post-{PER_PAGE + 3}"
    )


def test_permalink_still_lands_on_the_post_after_earlier_posts_are_deleted(client, db, moderator):
    topic = make_topic(replies=PER_PAGE + 1)  # posts 1..PER_PAGE+2; the last is on page 2
    target = topic.posts.get(number=PER_PAGE + 2)
    assert client.get(f"/p/{target.pk}/").url.endswith(f"?page=2#post-{PER_PAGE + 2}")

    for number in (2, 3):
        services.delete_post(post=topic.posts.get(number=number), actor=moderator)

    url = client.get(f"/p/{target.pk}/").url
    assert url == f"/t/{topic.pk}-{topic.slug}/#post-{PER_PAGE + 2}"
    page = client.get(url.split("#")[0])
    assert f'id="post-{PER_PAGE + 2}"' in page.text
    assert 'id="post-2"' not in page.text


def test_a_deleted_or_unknown_post_has_no_permalink(client, db, moderator):
    topic = make_topic(replies=1)
    reply = topic.posts.get(number=2)
    services.delete_post(post=reply, actor=moderator)
    assert client.get(f"/p/{reply.pk}/").status_code == 404
    assert client.get("/p/987654/").status_code == 404
