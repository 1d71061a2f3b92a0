"""Factories for the forum's objects. Topics and posts are made through the services, so their
numbers and counters are the real ones."""

import factory
from allauth.account.models import EmailAddress

from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

PASSWORD = "correct horse battery staple"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda member: f"{member.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(member, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=member, email=member.email, verified=True, primary=True
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


def make_topic(*, category=None, author=None, title="A topic to talk about", replies=0):
    """A topic with a first post and `replies` replies from other members."""
    topic = services.start_topic(
        category=category or CategoryFactory(),
        author=author or MemberFactory(),
        title=title,
        body="The first post of the topic.",
    )
    for index in range(replies):
        services.reply(topic=topic, author=MemberFactory(), body=f"Reply number {index + 1}")
    topic.refresh_from_db()
    return topic
