"""The proving ground's fixed world, its people, and every URL of the site made concrete.

One world per test module (it is built inside a transaction that is rolled back at the end of
the module; each test runs in a savepoint inside it), so a matrix of thousands of requests
costs one set-up. `site_urls(world)` walks the URL configuration itself, admin and allauth
included: a URL added to the site is in every walk at once, and one whose arguments this file
cannot fill in fails the walk until a sample is added to PATHS or ARGUMENT_SAMPLES below.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http.cookies import SimpleCookie
from urllib.parse import quote

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from folkmoot.accounts.models import User
from folkmoot.composer import services as composer_services
from folkmoot.composer.models import Attachment, Draft
from folkmoot.discussions import pending_cookie
from folkmoot.discussions import services as discussions_services
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from folkmoot.guests import services as accounts_services
from folkmoot.guests.models import GuestPost
from folkmoot.moderation import antibot
from folkmoot.moderation.models import Ban
from folkmoot.notifications import kinds, tokens
from folkmoot.notifications.models import Follow, Notification
from tests.antibot_solver import solve_for_tests
from tests.factories import CategoryFactory, MemberFactory
from tests.images import image_bytes

# Who asks. Every role is a browser with its own cookies.
ROLES = (
    "anonymous",
    "guest",  # anonymous, with the signed cookie of a pending guest post
    "member",  # wrote the topic
    "other_member",
    "other_moderator",  # moderates another category
    "category_moderator",  # moderates the topic's category (Category.moderators)
    "staff",
    "banned",  # account deactivated; its old session is still in the browser
    "banned_email",  # active account whose address is on the ban list
)

# Text only some may see: who sees it where is a test of its own.
HELD_TOPIC = "Held topic secret"
HELD_REPLY = "Held reply secret"
GUEST_REPLY = "Guest reply secret"
GUEST_EMAIL = "wanderer@example.net"
DRAFT = "Draft secret"

# The CSRF token every "valid token" request carries (cookie and form field alike).
CSRF_SECRET = "proving0ground0csrf0secret012345"
assert len(CSRF_SECRET) == 32


@dataclass
class World:
    users: dict[str, User]
    category: Category  # moderated by category_moderator; holds new members' posts
    other_category: Category  # moderated by other_moderator
    topic: Topic  # by member, with a reply by other_member
    first_post: Post  # the topic's post #1, by member
    reply: Post  # post #2, by other_member
    held_topic: Topic  # a newcomer's topic, its first post awaiting approval
    held_reply: Post  # a newcomer's reply in `topic`, awaiting approval
    banned_post: Post  # banned_email's reply in `topic`, from before the ban
    guest_post: GuestPost  # a guest's pending reply in `topic`
    draft: Draft  # member's draft of a reply to `topic`
    attachment: Attachment  # member's upload, used by no post yet
    notification: Notification  # member's, of other_member's reply
    unsubscribe_token: str  # from an email to member about the world topic they follow
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)
    media_root: str = ""
    _client: Client | None = None

    def client(self, role: str) -> Client:
        """A browser for the role: its cookies alone, Django's CSRF checks switched on. One
        client serves every role: a new one would load the middleware again (WhiteNoise
        indexes every static file), the bulk of a matrix's time."""
        if self._client is None:
            self._client = Client(enforce_csrf_checks=True)
        self._client.cookies = SimpleCookie(self.cookies[role])
        return self._client


def _signed_in_cookies(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _pending_cookie(post_id: int) -> dict[str, str]:
    response = HttpResponse()
    pending_cookie.remember(RequestFactory().get("/"), response, post_id)
    return {pending_cookie.COOKIE: response.cookies[pending_cookie.COOKIE].value}


def build_world(*, media_root: str) -> World:
    """Make the world; call inside a transaction the caller rolls back."""
    users = {
        "member": MemberFactory(username="member"),
        "other_member": MemberFactory(username="other_member"),
        "other_moderator": MemberFactory(username="other_moderator"),
        "category_moderator": MemberFactory(username="category_moderator"),
        "staff": MemberFactory(username="staff", is_staff=True),
        "banned": MemberFactory(username="banned"),
        "banned_email": MemberFactory(username="banned_email"),
    }
    newcomer = MemberFactory(username="newcomer")
    # Regulars: enough published posts not to be held as new members (their count is what
    # the forum reads; the posts themselves would add nothing here).
    regulars = [u.pk for role, u in users.items()]
    User.objects.filter(pk__in=regulars).update(post_count=10)
    for user in users.values():
        user.refresh_from_db()

    category = CategoryFactory(name="Moderated here", moderate_new_members=True)
    category.moderators.add(users["category_moderator"])
    other_category = CategoryFactory(name="Moderated elsewhere")
    other_category.moderators.add(users["other_moderator"])

    topic = discussions_services.start_topic(
        category=category, author=users["member"], title="The world topic", body="First post."
    )
    reply = discussions_services.reply(
        topic=topic, author=users["other_member"], body="A reply by another member."
    )
    held_topic = discussions_services.start_topic(
        category=category, author=newcomer, title=HELD_TOPIC, body="Held first post."
    )
    held_reply = discussions_services.reply(topic=topic, author=newcomer, body=HELD_REPLY)
    banned_post = discussions_services.reply(
        topic=topic, author=users["banned_email"], body="Written before the ban."
    )
    assert held_reply.status == Post.Status.PENDING and held_topic.post_count == 0
    guest = accounts_services.guest_reply(
        topic=topic,
        body=GUEST_REPLY,
        email=GUEST_EMAIL,
        display_name="Wanderer",
        antibot_payload=solve_for_tests(antibot.make_challenge()),
        ip_address="192.0.2.10",
    ).guest
    draft = composer_services.save_draft(
        author=users["member"], key=f"topic-{topic.pk}", body=DRAFT, seq=0
    )
    with override_settings(MEDIA_ROOT=media_root):
        attachment = composer_services.upload_image(
            owner=users["member"],
            uploaded_file=SimpleUploadedFile("photo.png", image_bytes(), "image/png"),
        )
    Ban.objects.create(email=users["banned_email"].email, reason="The proving ground's ban.")
    # An entry for the admin's history pages to show.
    LogEntry.objects.log_actions(
        user_id=users["staff"].pk, queryset=[topic], action_flag=2, change_message="Renamed"
    )

    cookies = {"anonymous": {}, "guest": _pending_cookie(guest.post_id)}
    for role, user in users.items():
        cookies[role] = _signed_in_cookies(user)
    User.objects.filter(pk=users["banned"].pk).update(is_active=False)
    users["banned"].refresh_from_db()

    follow = Follow.objects.create(member=users["member"], topic=topic)
    notification = Notification.objects.create(
        recipient=users["member"], kind=kinds.REPLY, post=reply, topic=topic, actor=reply.author
    )
    topic.refresh_from_db()
    return World(
        notification=notification,
        unsubscribe_token=tokens.make(member_id=users["member"].pk, follow_id=follow.pk),
        users=users,
        category=category,
        other_category=other_category,
        topic=topic,
        first_post=topic.posts.get(number=1),
        reply=reply,
        held_topic=held_topic,
        held_reply=held_reply,
        banned_post=banned_post,
        guest_post=guest,
        draft=draft,
        attachment=attachment,
        cookies=cookies,
        media_root=media_root,
    )


# --- Every URL of the site, made concrete -------------------------------------------------------


def _topic(topic: Topic, suffix: str = "") -> str:
    return f"/t/{topic.pk}-{topic.slug}/{suffix}"


def _oembed(path: str) -> str:
    return "/oembed?url=" + quote(f"http://testserver{path}", safe="")


Path = Callable[[World], str]

# Concrete paths by URL name; a dict gives variants, each its own row ("name@variant").
PATHS: dict[str, Path | dict[str, Path]] = {
    "index": lambda w: "/",
    # Searching for every secret's common word: search shows none of them to anyone.
    "search": lambda w: "/search/?q=secret",
    "search_suggest": lambda w: "/search/suggest.json?q=secret",
    "category": lambda w: w.category.get_absolute_url(),
    "new_topic": lambda w: f"{w.category.get_absolute_url()}new/",
    "topic": {
        "": lambda w: _topic(w.topic),
        "held": lambda w: _topic(w.held_topic),
    },
    "reply": {
        "": lambda w: _topic(w.topic, "reply/"),
        "held": lambda w: _topic(w.held_topic, "reply/"),
    },
    "post_permalink": {
        "": lambda w: f"/p/{w.reply.pk}/",
        "held": lambda w: f"/p/{w.held_reply.pk}/",
    },
    "edit_post": {
        "": lambda w: f"/p/{w.first_post.pk}/edit/",  # member's own
        "others": lambda w: f"/p/{w.reply.pk}/edit/",  # other_member's
        "held": lambda w: f"/p/{w.held_reply.pk}/edit/",  # a newcomer's, awaiting approval
        "guest": lambda w: f"/p/{w.guest_post.post_id}/edit/",
        "banned": lambda w: f"/p/{w.banned_post.pk}/edit/",  # banned_email's own
    },
    "post_revisions": lambda w: f"/p/{w.first_post.pk}/revisions/",
    "moderation_delete_post": {
        "": lambda w: f"/mod/p/{w.reply.pk}/delete/",
        "held": lambda w: f"/mod/p/{w.held_reply.pk}/delete/",
    },
    "react": {
        "": lambda w: f"/p/{w.reply.pk}/react/",  # other_member's
        "held": lambda w: f"/p/{w.held_reply.pk}/react/",
    },
    "post_quote": {
        "": lambda w: f"/p/{w.reply.pk}/quote/",
        "held": lambda w: f"/p/{w.held_reply.pk}/quote/",
    },
    "post_reactions": {
        "": lambda w: f"/p/{w.reply.pk}/reactions/",
        "held": lambda w: f"/p/{w.held_reply.pk}/reactions/",
    },
    "recommend_post": {
        "": lambda w: f"/p/{w.reply.pk}/recommend/",
        "held": lambda w: f"/p/{w.held_reply.pk}/recommend/",
    },
    "remove_recommendation": lambda w: f"/p/{w.reply.pk}/unrecommend/",
    "nominate_post": {
        "": lambda w: f"/p/{w.reply.pk}/nominate/",  # other_member's
        "held": lambda w: f"/p/{w.held_reply.pk}/nominate/",
    },
    "moderation_recommend_nominated": lambda w: f"/mod/queue/{w.reply.pk}/nominations/recommend/",
    "moderation_dismiss_nominations": lambda w: f"/mod/queue/{w.reply.pk}/nominations/dismiss/",
    "oembed": {
        "": lambda w: _oembed(_topic(w.topic)),
        "held": lambda w: _oembed(_topic(w.held_topic)),
    },
    # Asks for a Mastodon server and links to its share page, for pages of this site only.
    "share_mastodon": {
        "": lambda w: (
            "/share/mastodon/?instance=mastodon.social&url="
            + quote(f"http://testserver{_topic(w.topic)}", safe="")
        ),
        "elsewhere": lambda w: (
            "/share/mastodon/?instance=mastodon.social&url="
            + quote("https://evil.example/", safe="")
        ),
    },
    "avatar_settings": lambda w: "/settings/avatar/",
    "account_settings": lambda w: "/settings/",
    "theme_setting": lambda w: "/settings/theme/",
    "member_lookup": lambda w: "/members/lookup/?q=m",
    "user_card": {
        "": lambda w: f"/u/{w.users['member'].username}/card/",
        "banned": lambda w: f"/u/{w.users['banned'].username}/card/",
    },
    "ignore_member": {
        "": lambda w: f"/u/{w.users['other_member'].username}/ignore/",
        "staff": lambda w: f"/u/{w.users['staff'].username}/ignore/",
        "banned": lambda w: f"/u/{w.users['banned'].username}/ignore/",
    },
    "profile": {
        "": lambda w: f"/u/{w.users['member'].username}/",
        "banned": lambda w: f"/u/{w.users['banned'].username}/",
    },
    "moderation_hide_post": lambda w: f"/mod/p/{w.reply.pk}/hide/",
    "moderation_restore_post": lambda w: f"/mod/p/{w.reply.pk}/restore/",
    "report_post": {
        "": lambda w: f"/mod/p/{w.reply.pk}/report/",
        "held": lambda w: f"/mod/p/{w.held_reply.pk}/report/",
    },
    "moderation_pin_topic": lambda w: f"/mod/t/{w.topic.pk}/pin/",
    "moderation_lock_topic": lambda w: f"/mod/t/{w.topic.pk}/lock/",
    "moderation_move_topic": lambda w: f"/mod/t/{w.topic.pk}/move/",
    "moderation_merge_topic": lambda w: f"/mod/t/{w.topic.pk}/merge/",
    "moderation_selected_posts": lambda w: f"/mod/t/{w.topic.pk}/posts/",
    "moderation_resolve_reports": lambda w: f"/mod/queue/{w.reply.pk}/reports/",
    "moderation_log": lambda w: "/mod/log/",
    "moderation_warn_member": lambda w: f"/mod/p/{w.reply.pk}/warn/",
    "my_warnings": lambda w: "/mod/warnings/",
    "moderation_ban_member": lambda w: f"/mod/p/{w.reply.pk}/ban/",
    "moderation_suspend_member": lambda w: f"/mod/p/{w.reply.pk}/suspend/",
    "moderation_member": lambda w: f"/mod/u/{w.reply.author_id}/",
    "moderation_hide_member_posts": lambda w: f"/mod/u/{w.reply.author_id}/hide-posts/",
    "moderation_restore_member_posts": lambda w: f"/mod/u/{w.reply.author_id}/restore-posts/",
    "site_rss": lambda w: "/feed.rss",
    "site_atom": lambda w: "/feed.atom",
    "category_rss": lambda w: f"{w.category.get_absolute_url()}feed.rss",
    "category_atom": lambda w: f"{w.category.get_absolute_url()}feed.atom",
    "topic_rss": {
        "": lambda w: _topic(w.topic, "feed.rss"),
        "held": lambda w: _topic(w.held_topic, "feed.rss"),
    },
    "topic_atom": {
        "": lambda w: _topic(w.topic, "feed.atom"),
        "held": lambda w: _topic(w.held_topic, "feed.atom"),
    },
    "robots_txt": lambda w: "/robots.txt",
    "favicon": lambda w: "/favicon.ico",
    "sitemap_index": lambda w: "/sitemap.xml",
    "sitemap": lambda w: "/sitemap-topics.xml",
    "js_catalogue": lambda w: reverse("js_catalogue", args=["de"]),
    "js_catalogue_older": lambda w: "/jsi18n/0ld0ld0ld0ld/de.js",
    "guest_challenge": lambda w: "/guests/challenge/",
    "guest_finish": lambda w: f"/guests/finish/{w.guest_post.claim_token}/",
    "guest_posted": lambda w: f"/guests/posted/{w.guest_post.post_id}/",
    "draft": lambda w: f"/drafts/{w.draft.key}/",
    "upload": lambda w: "/uploads/",
    "media/<path:path>": lambda w: w.attachment.file.url,
    "moderation_queue": lambda w: "/mod/queue/",
    "moderation_approve": {
        "": lambda w: f"/mod/queue/{w.held_reply.pk}/approve/",
        "topic": lambda w: f"/mod/queue/{w.held_topic.posts.get().pk}/approve/",
    },
    "moderation_reject": lambda w: f"/mod/queue/{w.held_reply.pk}/reject/",
    # Following: the world topic, the held topic (nobody but moderators sees it), a category,
    # and member (others may follow them; they may not follow themselves).
    "follow": {
        "": lambda w: f"/follow/topic/{w.topic.pk}/",
        "held": lambda w: f"/follow/topic/{w.held_topic.pk}/",
        "category": lambda w: f"/follow/category/{w.category.pk}/",
        "member": lambda w: f"/follow/member/{w.users['member'].pk}/",
    },
    "followed": lambda w: "/followed/",
    # Unread: how far one has read the world topic, or the held one (nobody but its moderators
    # sees it); "Mark all read".
    "read_topic": {
        "": lambda w: f"/t/{w.topic.pk}/read/",
        "held": lambda w: f"/t/{w.held_topic.pk}/read/",
    },
    "first_unread": {
        "": lambda w: f"/t/{w.topic.pk}/unread/",
        "held": lambda w: f"/t/{w.held_topic.pk}/unread/",
    },
    "mark_all_topics_read": lambda w: "/unread/read-all/",
    # New replies on an open topic page: the world topic, and the held one.
    "new_posts": {
        "": lambda w: f"/t/{w.topic.pk}/new-posts/?after=1",
        "held": lambda w: f"/t/{w.held_topic.pk}/new-posts/?after=0",
    },
    "notifications": lambda w: "/notifications/",
    "notifications_read_all": lambda w: "/notifications/read-all/",
    "notification_preferences": lambda w: "/notifications/settings/",
    # member's notification of other_member's reply.
    "open_notification": lambda w: f"/notifications/{w.notification.pk}/open/",
    # A link from an email to member about following the world topic: no sign-in needed.
    "unsubscribe": lambda w: f"/unsubscribe/{w.unsubscribe_token}/",
    "unsubscribe_one_click": lambda w: f"/unsubscribe/{w.unsubscribe_token}/one-click/",
    "account_confirm_email": lambda w: "/accounts/confirm-email/no-such-key/",
    "account_reset_password_from_key": lambda w: "/accounts/password/reset/key/1-no-such-key/",
}


def _admin_object_id(w: World, callback) -> str:
    """The first object of the model an admin page is for; an id nobody has otherwise."""
    if not hasattr(callback, "model_admin"):  # "view on site": any object will do
        return str(w.topic.pk)
    model = callback.model_admin.model
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk or 999999)


# Samples for URL arguments by name, for the admin's generated URLs (PATHS lists the rest).
ARGUMENT_SAMPLES: dict[str, Callable[[World, Callable], str]] = {
    "object_id": _admin_object_id,
    "id": lambda w, callback: str(w.users["member"].pk),  # a user's password form
    "app_label": lambda w, callback: "discussions",
    "content_type_id": lambda w, callback: str(ContentType.objects.get_for_model(Topic).pk),
    "url": lambda w, callback: "no-such-page/",  # the admin's catch-all
}


class MissingSample(Exception):
    """A URL this file cannot make concrete: the walks fail until it can."""


@dataclass(frozen=True)
class SiteURL:
    key: str  # the URL's name (namespace:name), else its route; "name@variant" for variants
    route: str
    pattern: URLPattern

    def path(self, w: World) -> str:
        name, _, variant = self.key.partition("@")
        if name in PATHS:
            made = PATHS[name]
            return (made[variant] if isinstance(made, dict) else made)(w)
        arguments = list(self.pattern.pattern.regex.groupindex)
        if arguments and not name.startswith(("admin:", "admin/")):
            raise MissingSample(
                f"No sample for {name!r} ({self.route}): add its path to PATHS in "
                "tests/security/world.py, and its rows to the tables that test it."
            )
        missing = [argument for argument in arguments if argument not in ARGUMENT_SAMPLES]
        if missing:
            raise MissingSample(f"No sample for {missing} in {self.route}: see ARGUMENT_SAMPLES")
        kwargs = {a: ARGUMENT_SAMPLES[a](w, self.pattern.callback) for a in arguments}
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], self.route)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: kwargs[m.group(1)], path)
        return "/" + path


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern).lstrip("^"), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or route, route, entry


def site_urls() -> list[SiteURL]:
    """Every URL pattern of the site (walked from the URL configuration, so no database is
    needed and tests can be parametrized with it), with one entry per variant in PATHS. A
    pattern shadowed by an earlier one of the same name (allauth's sign-in and sign-up, which
    ours replace) is left out: nobody can reach it."""
    urls: dict[str, SiteURL] = {}
    for name, route, entry in _walk(get_resolver()):
        made = PATHS.get(name)
        for variant in made if isinstance(made, dict) else [""]:
            key = f"{name}@{variant}" if variant else name
            urls.setdefault(key, SiteURL(key, route, entry))
    return list(urls.values())


def expected_for(table: dict, key: str):
    """The row for a URL key: its own, else the first admin wildcard (admin:*_change) that
    matches. Wildcards are for the admin's generated pages only."""
    if key in table:
        return table[key]
    if key.startswith(("admin:", "admin/")):
        for pattern, row in table.items():
            if "*" in pattern and fnmatchcase(key, pattern):
                return row
    return None
