"""Demo content: categories, members, a few topics, and the seed topic with two pages of replies.

Loaded through the same services as real posts, so every counter is right. Idempotent: a second
run finds the seed topic's author and does nothing.
"""

import secrets
from importlib import resources
from itertools import cycle

from django.db import transaction

from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

SEED_AUTHOR = "CidanSultan"
SEED_TITLE = "Islamic State Kills 700 Alawite Syrian Soldiers"
MEMBERS = [
    SEED_AUTHOR, "MarisolVega", "Okonkwo_A", "Tamsin.R", "HalvardB", "Priyanka_S",
    "JunoKessler", "DariuszW", "LeilaHaddad", "OwenAsh",
]  # fmt: skip
CATEGORIES = [
    ("World News", "Events and reporting from around the world."),
    ("General Discussion", "Anything that doesn't fit elsewhere."),
    ("Site Feedback", "Ideas, bugs and questions about this forum."),
]
SEED_REPLIES = [
    "The Observatory's numbers have been revised upwards before. I'd wait for a second source.",
    "Shaer is one of the largest gas fields in Homs province, so this matters beyond the toll.",
    "Palmyra being so close makes this worrying for the ruins too.",
    "Does anyone have a link to the AFP piece the governor was quoted in?",
    "Hard to read. The footage description alone is grim.",
    "> It was not immediately possible to verify the report.\n\nThis line carries a lot of weight.",
    "State media staying silent tells you something on its own.",
    "The split from al-Qaeda in February explains a lot of what followed.",
    "Deir Az Zor falling would change the supply routes completely.",
    "Here is a map of the area for anyone trying to follow along: https://example.org/maps/homs",
    "Thoughts with the families, whoever they were fighting for.",
    "**Correction:** the field is east of Palmyra, not north as I said in the other thread.",
]
OTHER_TOPICS = [
    ("General Discussion", "Introduce yourself", "Say hello! Where are you reading from?"),
    ("General Discussion", "What are you reading this week?", "Books, long reads, anything."),
    ("Site Feedback", "Welcome to the new forum", "Tell us what works and what doesn't."),
]
ADMIN_USERNAME = "admin"


def _member(username: str) -> User:
    member, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username.lower()}@example.org"}
    )
    if created:
        member.set_unusable_password()
        member.save()
    return member


def ensure_admin(password_file) -> str:
    """The demo's admin account. Its password is generated once and kept in the data dir."""
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(12))
        password_file.chmod(0o600)
    password = password_file.read_text().strip()
    admin, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"email": "admin@example.org"}
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    _verify_email(admin)
    return password


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def load_demo() -> bool:
    """Create the demo content unless it is already there. Returns whether it created it."""
    if User.objects.filter(username=SEED_AUTHOR).exists():
        return False
    members = [_member(name) for name in MEMBERS]
    categories = {
        name: Category.objects.create(name=name, description=description, position=position)
        for position, (name, description) in enumerate(CATEGORIES)
    }
    for category_name, title, body in OTHER_TOPICS:
        topic = services.start_topic(
            category=categories[category_name],
            author=members[1],
            title=title,
            body=body,
            enforce_limits=False,
        )
        for member in members[2:5]:
            services.reply(
                topic=topic,
                author=member,
                body=f"Hello from {member.username}!",
                enforce_limits=False,
            )

    article = resources.files("folkmoot").joinpath("demo_content/seed_article.md").read_text()
    seed = services.start_topic(
        category=categories["World News"],
        author=members[0],
        title=SEED_TITLE,
        body=article,
        enforce_limits=False,
    )
    # 9 repliers and 12 texts: no member repeats a text within 34 replies (36 = their lcm),
    # so duplicate-post detection keeps every one.
    repliers, replies = cycle(members[1:]), cycle(SEED_REPLIES)
    for _ in range(34):
        services.reply(topic=seed, author=next(repliers), body=next(replies), enforce_limits=False)
    return True
