"""A moderator's decision on a held post reaches its author in the author's language, whatever
language the moderator reads the site in."""

from django.test import Client
from django.utils import translation

from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from folkmoot.moderation import services as moderation
from tests.factories import CategoryFactory, MemberFactory, make_topic


def held_post(author) -> Post:
    topic = make_topic(
        category=CategoryFactory(moderate_new_members=True), author=MemberFactory(is_staff=True)
    )
    return services.reply(topic=topic, author=author, body="Please let this through")


def test_a_german_author_hears_of_the_approval_in_german_from_an_english_moderator(
    db, mailbox, django_capture_on_commit_callbacks
):
    author = MemberFactory(language="de")
    post = held_post(author)
    moderator = Client()
    moderator.force_login(MemberFactory(is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert moderator.post(f"/mod/queue/{post.pk}/approve/").status_code == 302
    [mail] = mailbox.to(author.email)
    assert mailbox.subject(mail).startswith("Dein Beitrag in „A topic to talk about“")
    assert "ist veröffentlicht" in mailbox.subject(mail)


def test_an_english_author_hears_of_a_rejection_in_english_from_a_german_moderator(
    db, mailbox, django_capture_on_commit_callbacks
):
    author = MemberFactory()
    post = held_post(author)
    german_moderator = MemberFactory(is_staff=True, language="de")
    # As in the German moderator's request: their language is the active one.
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        moderation.reject_post(post=post, moderator=german_moderator, reason="Off topic")
    [mail] = mailbox.to(author.email)
    assert "was not approved" in mailbox.subject(mail)
    assert "Reason: Off topic" in mailbox.text(mail)
