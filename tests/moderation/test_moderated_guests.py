from urllib.parse import urlparse

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import QueuedPost
from tests.accounts.test_signup import sign_up
from tests.factories import CategoryFactory, make_topic
from tests.guests import guest_reply


def test_in_a_moderated_category_a_registered_guests_post_waits_for_a_moderator(
    client, db, mailbox, moderator, client_factory, django_capture_on_commit_callbacks
):
    topic = make_topic(category=CategoryFactory(guest_policy="moderated"))
    with django_capture_on_commit_callbacks(execute=True):
        guest_reply(client, topic, body="Moderate me", email="modme@example.net")
    sign_up(client, username="modme", email="modme@example.net")
    [confirm] = [u for u in mailbox.links_to("modme@example.net") if "/guests/finish/" in u]
    client.post(urlparse(confirm).path)
    client.post("/accounts/waiting-posts/publish/", {"all": "1"})

    post = Post.objects.get(body="Moderate me")
    assert post.status == Post.Status.PENDING
    assert post.author.username == "modme"
    assert QueuedPost.objects.get(post=post).reason == "guest"
    # The author's browser shows it as awaiting approval; nobody else sees it.
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Awaiting approval" in page and "Moderate me" in page
    assert "Moderate me" not in client_factory().get(topic.get_absolute_url()).content.decode()

    mod = client_factory()
    mod.force_login(moderator)
    assert "Moderate me" in mod.get("/mod/queue/").content.decode()
