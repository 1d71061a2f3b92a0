"""Guests start topics where the category lets guests post: the topic waits, seen by nobody,
until the owner of the address publishes it, like a guest's reply."""

from urllib.parse import parse_qs, urlparse

from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.guests.models import GuestPost
from folkmoot.moderation.models import QueuedPost
from tests.accounts.test_signup import sign_up
from tests.guests import guest_topic


def test_a_guest_is_offered_the_new_topic_form_with_the_guest_fields(client, category):
    listing = client.get(category.get_absolute_url()).content.decode()
    assert f'href="/c/{category.pk}-{category.slug}/new/">Start new topic</a>' in listing
    page = client.get(f"/c/{category.pk}-{category.slug}/new/").content.decode()
    assert "You can post now and register later." in page
    assert 'name="title"' in page and 'name="email"' in page and 'name="altcha"' in page


def test_where_guests_may_not_post_they_are_sent_to_sign_in(client, category):
    category.guest_policy = Category.GuestPolicy.NONE
    category.save()
    assert "Start new topic" not in client.get(category.get_absolute_url()).content.decode()
    new = f"/c/{category.pk}-{category.slug}/new/"
    assert client.get(new).url == f"/accounts/login/?next={new.replace('/', '%2F')}"
    response = guest_topic(client, category)
    assert response.url.startswith("/accounts/login/")
    assert not Topic.objects.exists()


def test_a_guests_topic_waits_unseen_until_the_owner_publishes_it(
    client, client_factory, category, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_topic(
            client, category, title="Where is the ferry?", body="Is it on time?", email="f@x.net"
        )
    assert urlparse(response.url).path == "/accounts/signup/"
    topic = Topic.objects.get(title="Where is the ferry?")
    opening = topic.posts.get()
    assert (topic.author, topic.post_count, opening.status) == (None, 0, Post.Status.PENDING)

    # Nobody else sees it: not in the category, not at its address.
    stranger = client_factory()
    assert "Where is the ferry?" not in stranger.get(category.get_absolute_url()).content.decode()
    assert stranger.get(topic.get_absolute_url()).status_code == 404
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (0, 0)

    # The sign-up page and the email say it is a new topic.
    signup_page = client.get(response.url).content.decode()
    assert "Your new topic “Where is the ferry?” is saved" in signup_page
    [email] = mailbox.to("f@x.net")
    assert 'Your new topic "Where is the ferry?"' in mailbox.text(email)

    # Landing before publishing: told where it stands, no 404.
    landing = client.get(parse_qs(urlparse(response.url).query)["next"][0], follow=True)
    assert "Your topic “Where is the ferry?” is saved." in landing.content.decode()

    sign_up(client, username="ferryman", email="f@x.net")
    [finish] = [u for u in mailbox.links_to("f@x.net") if "/guests/finish/" in u]
    confirmed = client.post(urlparse(finish).path)
    waiting = client.get(confirmed.url).content.decode()
    assert "A new topic, “Where is the ferry?”, in" in waiting
    client.post("/accounts/waiting-posts/publish/", {"post": opening.pk})

    topic.refresh_from_db()
    opening.refresh_from_db()
    assert topic.author.username == "ferryman" and topic.post_count == 1
    assert (opening.status, opening.number, opening.author_id) == (
        Post.Status.PUBLISHED,
        1,
        topic.author_id,
    )
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 1)
    assert "Is it on time?" in stranger.get(topic.get_absolute_url()).content.decode()


def test_a_moderated_categorys_guest_topic_goes_to_the_queue_when_published(
    client, category, mailbox
):
    category.guest_policy = Category.GuestPolicy.MODERATED
    category.save()
    guest_topic(client, category, title="Please check me", email="m@x.net")
    sign_up(client, username="checked", email="m@x.net")
    [finish] = [u for u in mailbox.links_to("m@x.net") if "/guests/finish/" in u]
    client.post(urlparse(finish).path)
    opening = Post.objects.get(topic__title="Please check me")
    client.post("/accounts/waiting-posts/publish/", {"post": opening.pk})
    assert QueuedPost.objects.filter(post=opening).exists()
    topic = opening.topic
    topic.refresh_from_db()
    assert topic.post_count == 0 and topic.author.username == "checked"
    # Its author sees it, awaiting approval.
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_bad_input_keeps_the_guests_title_and_text_with_the_errors(client, category):
    response = guest_topic(client, category, title="ab", body="My careful words", email="nope")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the topic a title of at least 3 characters." in page
    assert "Enter a valid email address" in page
    assert 'value="ab"' in page and "My careful words" in page
    assert not Topic.objects.exists()


def test_a_double_submit_makes_one_topic(client, category):
    guest_topic(client, category, title="Only once please")
    guest_topic(client, category, title="Only once please")
    assert Topic.objects.filter(title="Only once please").count() == 1
    assert GuestPost.objects.count() == 1


def test_a_discarded_guest_topic_leaves_nothing_behind(client, category, mailbox):
    guest_topic(client, category, title="Not mine at all", email="d@x.net")
    sign_up(client, username="denier", email="d@x.net")
    [finish] = [u for u in mailbox.links_to("d@x.net") if "/guests/finish/" in u]
    client.post(urlparse(finish).path)
    client.post("/accounts/waiting-posts/discard/", {"all": "1"})
    assert not Topic.objects.filter(title="Not mine at all").exists()
    assert not Post.objects.exists()
