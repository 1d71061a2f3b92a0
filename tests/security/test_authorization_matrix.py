# The tables are one row per URL, a column per role: wider than 100 characters on purpose.
# ruff: noqa: E501
"""The authorization matrix: every URL of the site × every role × GET and a POST carrying a
valid CSRF token, against the answer the table below expects.

The URLs come from the URL configuration itself (tests/security/world.py), so a new URL
without a row fails here until someone decides who may use it. The people and objects are
one fixed world (world.py): a topic by `member` in a category `category_moderator`
moderates, a reply by `other_member`, a newcomer's held topic and held reply, a guest's
pending reply (the `guest` browser carries its signed cookie), a draft and an upload of
`member`'s, and an old post by `banned_email`, written before the address was banned.
A second test reads every page as every role for text only some may see (SEEN_BY).

Each cell is "GET/POST": the status code, or L for a redirect to a sign-in page. To see the
whole table as the site answers today (say after a merge), run
    FOLKMOOT_MATRIX_RECORD=/tmp/matrix.txt uv run pytest tests/security/test_authorization_matrix.py
and compare it with EXPECTED.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.images import image_bytes
from tests.security.world import (
    CSRF_SECRET,
    DRAFT,
    GUEST_EMAIL,
    GUEST_REPLY,
    HELD_REPLY,
    HELD_TOPIC,
    ROLES,
    expected_for,
    site_urls,
)

COLUMNS = ("anon", "guest", "member", "other", "o-mod", "c-mod", "staff", "banned", "ban@")
assert len(COLUMNS) == len(ROLES)

# fmt: off
EXPECTED = {
    #                                         anon     guest    member   other    o-mod    c-mod    staff    banned   ban@
    # Signing in and up, and allauth's account pages.
    "account_signup":                         "200/200  200/200  302/302  302/302  302/302  302/302  302/302  200/200  302/302",
    "account_login":                          "200/200  200/200  302/302  302/302  302/302  302/302  302/302  200/200  302/302",
    "account_logout":                         "302/302  302/302  200/302  200/302  200/302  200/302  200/302  302/302  200/302",
    "account_inactive":                       "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "account_reauthenticate":                 "L/L      L/L      200/200  200/200  200/200  200/200  200/200  L/L      200/200",
    "account_email":                          "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    "account_email_verification_sent":        "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "account_change_password":                "L/L      L/L      200/200  200/200  200/200  200/200  200/200  L/L      200/200",
    "account_set_password":                   "L/L      L/L      302/302  302/302  302/302  302/302  302/302  L/L      302/302",
    "account_reset_password":                 "200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200",
    "account_confirm_login_code":             "L/L      L/L      302/302  302/302  302/302  302/302  302/302  L/L      302/302",
    "account_confirm_email":                  "200/404  200/404  200/404  200/404  200/404  200/404  200/404  200/404  200/404",
    "account_reset_password_from_key_done":   "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "account_reset_password_from_key":        "200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200",
    "account_reset_password_done":            "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    # Guests: only the browser holding the pending cookie is sent on to its post.
    "guest_challenge":                        "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    # POST confirms the address only in the browser that signed up with it; elsewhere, back to GET.
    "guest_finish":                           "302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302",
    "waiting_posts":                          "L/L      L/L      200/405  200/405  200/405  200/405  200/405  L/L      200/405",
    "publish_waiting":                        "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    "discard_waiting":                        "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    "guest_posted":                           "404/405  302/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    # Drafts are per author: anyone else's GET finds none of theirs.
    "draft":                                  "403/405  403/405  200/405  404/405  404/405  404/405  404/405  403/405  404/405",
    # A ban-listed member may not store images either (ban@ 400).
    "upload":                                 "405/403  405/403  405/201  405/201  405/201  405/201  405/201  405/403  405/400",
    "media/<path:path>":                      "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    # Moderation: the held reply and topic are in `category`, moderated by c-mod.
    "moderation_queue":                       "L/L      L/L      404/405  404/405  200/405  200/405  200/405  L/L      404/405",
    "moderation_approve":                     "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "moderation_approve@topic":               "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "moderation_reject":                      "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    # Topic and post tools (moderators of the category), reports (members), the log.
    # A held post is rejected from the queue, not deleted from the topic (it has no number).
    "moderation_resolve_reports":             "L/L      L/L      405/404  405/404  405/404  405/400  405/400  L/L      405/404",
    "moderation_log":                         "L/L      L/L      404/405  404/405  200/405  200/405  200/405  L/L      404/405",
    "moderation_pin_topic":                   "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "moderation_lock_topic":                  "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "moderation_move_topic":                  "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "moderation_merge_topic":                 "L/L      L/L      404/404  404/404  404/404  200/400  200/400  L/L      404/404",
    "moderation_selected_posts":              "L/L      L/L      405/404  405/404  405/404  405/400  405/400  L/L      405/404",
    "moderation_hide_post":                   "L/L      L/L      404/404  404/404  404/404  200/302  200/302  L/L      404/404",
    "moderation_delete_post":                 "L/L      L/L      404/404  404/404  404/404  200/302  200/302  L/L      404/404",
    "moderation_delete_post@held":            "L/L      L/L      404/404  404/404  404/404  404/404  404/404  L/L      404/404",
    "moderation_restore_post":                "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    # Members report others' posts; other_member wrote this one.
    "report_post":                            "L/L      L/L      200/400  404/404  200/400  200/400  200/400  L/L      200/400",
    "report_post@held":                       "L/L      L/L      404/404  404/404  404/404  404/404  404/404  L/L      404/404",
    "moderation_warn_member":                 "L/L      L/L      404/404  404/404  404/404  200/400  200/400  L/L      404/404",
    "moderation_suspend_member":              "L/L      L/L      404/404  404/404  404/404  200/400  200/400  L/L      404/404",
    # Any moderator opens a member's page (addresses only from the categories they moderate).
    "moderation_member":                      "L/L      L/L      404/405  404/405  200/405  200/405  200/405  L/L      404/405",
    "moderation_hide_member_posts":           "L/L      L/L      405/404  405/404  405/404  405/404  405/302  L/L      405/404",
    "moderation_restore_member_posts":        "L/L      L/L      405/404  405/404  405/404  405/404  405/302  L/L      405/404",
    "my_warnings":                            "L/L      L/L      200/405  200/405  200/405  200/405  200/405  L/L      200/405",
    # Bans are site-wide: staff only.
    "moderation_ban_member":                  "L/L      L/L      404/404  404/404  404/404  404/404  200/302  L/L      404/404",
    # Reading and writing.
    # Feeds, sitemap, robots.txt and favicon.ico: public content only, the same for everyone.
    "site_rss":                               "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "site_atom":                              "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "category_rss":                           "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "category_atom":                          "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "topic_rss":                              "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "topic_rss@held":                         "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "topic_atom":                             "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "topic_atom@held":                        "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "robots_txt":                             "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "favicon":                                "301/405  301/405  301/405  301/405  301/405  301/405  301/405  301/405  301/405",
    "sitemap_index":                          "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "sitemap":                                "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    # The scripts' translations (a page's, and an older cached page's): the same for everyone.
    "js_catalogue":                           "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "js_catalogue_older":                     "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "index":                                  "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "search":                                 "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "search_suggest":                         "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "category":                               "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "new_topic":                              "200/400  200/400  200/302  200/302  200/302  200/302  200/302  200/400  200/400",
    "topic":                                  "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    # A category moderator opens the held topic they can approve (forums.policy.can_moderate).
    "topic@held":                             "404/405  404/405  404/405  404/405  404/405  200/405  200/405  404/405  404/405",
    # Guests' and the banned account's replies fail the guest form (400): no proof of work.
    "reply":                                  "405/400  405/400  405/302  405/302  405/302  405/302  405/302  405/400  405/400",
    "reply@held":                             "405/404  405/404  405/404  405/404  405/404  405/404  405/404  405/404  405/404",
    "post_permalink":                         "302/405  302/405  302/405  302/405  302/405  302/405  302/405  302/405  302/405",
    # Permalinks are for published posts only: a held reply is seen in place, in its topic.
    "post_permalink@held":                    "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    # A category moderator edits, reads revisions of and deletes posts in their category.
    "edit_post":                              "L/L      L/L      200/302  404/404  404/404  200/302  200/302  L/L      404/404",
    "edit_post@others":                       "L/L      L/L      404/404  200/302  404/404  200/302  200/302  L/L      404/404",
    "edit_post@held":                         "L/L      L/L      404/404  404/404  404/404  200/302  200/302  L/L      404/404",
    "edit_post@guest":                        "L/L      L/L      404/404  404/404  404/404  200/302  200/302  L/L      404/404",
    # A ban-listed member's edit of an old post is refused (ban@ 400), like a new post.
    "edit_post@banned":                       "L/L      L/L      404/404  404/404  404/404  200/302  200/302  L/L      200/400",
    "post_revisions":                         "L/L      L/L      404/405  404/405  404/405  200/405  200/405  L/L      404/405",
    # Reactions: members on others' published posts (other_member wrote the reply: 403).
    # Recommending is for moderators of the post's category; quotes and who reacted are public.
    # A member's own picture; a ban-listed member may not store images (ban@ 400).
    "avatar_settings":                        "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/400",
    "profile":                                "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "profile@banned":                         "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "user_card":                              "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "user_card@banned":                       "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "ignore_member":                          "L/L      L/L      405/302  405/404  405/302  405/302  405/302  L/L      405/302",
    "ignore_member@staff":                    "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "ignore_member@banned":                   "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "member_lookup":                          "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "account_settings":                       "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    "theme_setting":                          "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    "react":                                  "L/L      L/L      405/302  405/403  405/302  405/302  405/302  L/L      405/302",
    "react@held":                             "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "post_quote":                             "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "post_quote@held":                        "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "post_reactions":                         "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "post_reactions@held":                    "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    "recommend_post":                         "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "recommend_post@held":                    "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "remove_recommendation":                  "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    # Nominating a post for recommendation: members, on others' published posts (other_member
    # wrote the reply: 403), not where they moderate (c-mod, staff: 403, they recommend it).
    # Deciding on nominations: moderators of the post's category.
    "nominate_post":                          "L/L      L/L      405/302  405/403  405/302  405/403  405/403  L/L      405/302",
    "nominate_post@held":                     "L/L      L/L      405/404  405/404  405/404  405/404  405/404  L/L      405/404",
    "moderation_recommend_nominated":         "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "moderation_dismiss_nominations":         "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    # oEmbed cards: what anyone may see, for anyone; a held topic has none, even for moderators.
    "oembed":                                 "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "oembed@held":                            "404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405",
    # Sharing on Mastodon: anyone, for pages of this site only.
    "share_mastodon":                         "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "share_mastodon@elsewhere":               "400/405  400/405  400/405  400/405  400/405  400/405  400/405  400/405  400/405",
    # The footer's language menu: anyone; picking (POST, CSRF-checked) sets a cookie and goes
    # back (a GET only goes back, changing nothing).
    "choose_language":                        "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "set_language":                           "302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302  302/302",
    # Following and notifications: members only; a held topic only by those who see it.
    "follow":                                 "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    "follow@held":                            "404/404  404/404  404/404  404/404  404/404  200/302  200/302  404/404  404/404",
    "follow@category":                        "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    # Nobody follows themselves.
    "follow@member":                          "L/L      L/L      404/404  200/302  200/302  200/302  200/302  L/L      200/302",
    "followed":                               "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    "notifications":                          "L/L      L/L      200/405  200/405  200/405  200/405  200/405  L/L      200/405",
    "notifications_read_all":                 "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    # Unread: members record how far they read what they may see; reading writes only on POST.
    "read_topic":                             "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    "read_topic@held":                        "L/L      L/L      405/404  405/404  405/404  405/302  405/302  L/L      405/404",
    "first_unread":                           "L/L      L/L      302/405  302/405  302/405  302/405  302/405  L/L      302/405",
    "first_unread@held":                      "L/L      L/L      404/405  404/405  404/405  302/405  302/405  L/L      404/405",
    # New replies for an open topic page: whoever may read the topic.
    "new_posts":                              "200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405  200/405",
    "new_posts@held":                         "404/405  404/405  404/405  404/405  404/405  200/405  200/405  404/405  404/405",
    "mark_all_topics_read":                   "L/L      L/L      405/302  405/302  405/302  405/302  405/302  L/L      405/302",
    # Only its recipient opens a notification.
    "open_notification":                      "L/L      L/L      405/302  405/404  405/404  405/404  405/404  L/L      405/404",
    "notification_preferences":               "L/L      L/L      200/302  200/302  200/302  200/302  200/302  L/L      200/302",
    # An email's link works for whoever holds it, signed in or not: the signed token decides.
    "unsubscribe":                            "200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200  200/200",
    # GET goes to the page that asks; a POST that is not RFC 8058's one-click body is refused.
    "unsubscribe_one_click":                  "302/400  302/400  302/400  302/400  302/400  302/400  302/400  302/400  302/400",
    # The admin: staff only, and site staff hold no model permissions unless given them (403).
    "admin:index":                            "L/L      L/L      L/L      L/L      L/L      L/L      200/200  L/L      L/L",
    "admin:login":                            "200/200  200/200  200/200  200/200  200/200  200/200  302/200  200/200  200/200",
    "admin:logout":                           "302/302  302/302  302/302  302/302  302/302  302/302  405/200  302/302  302/302",
    "admin:password_change":                  "L/L      L/L      L/L      L/L      L/L      L/L      200/200  L/L      L/L",
    "admin:password_change_done":             "L/L      L/L      L/L      L/L      L/L      L/L      200/405  L/L      L/L",
    "admin:autocomplete":                     "L/L      L/L      L/L      L/L      L/L      L/L      403/405  L/L      L/L",
    "admin:jsi18n":                           "L/L      L/L      L/L      L/L      L/L      L/L      200/405  L/L      L/L",
    "admin:view_on_site":                     "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:app_list":                         "L/L      L/L      L/L      L/L      L/L      L/L      404/404  L/L      L/L",
    "admin/(?P<url>.*)":                      "L/L      L/L      L/L      L/L      L/L      L/L      404/404  L/L      L/L",
    "admin:*_changelist":                     "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    "admin:*_add":                            "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    "admin:*_change":                         "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    "admin:*_delete":                         "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    "admin:auth_user_password_change":        "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    # History of a model the world has no object of: the admin redirects before asking.
    "admin:auth_group_history":               "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:mail_bounce_history":              "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:mail_outboxemail_history":         "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:composer_uploadpolicy_history":    "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:composer_linkpreview_history":     "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:moderation_moderationlog_history": "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
    "admin:*_history":                        "L/L      L/L      L/L      L/L      L/L      L/L      403/403  L/L      L/L",
    "admin/*/<path:object_id>/":              "L/L      L/L      L/L      L/L      L/L      L/L      302/302  L/L      L/L",
}
# fmt: on

SIGN_IN_PAGES = ("/accounts/login/", "/admin/login/")
FORM = {
    "body": "Written by the authorization matrix",
    "title": "A topic from the authorization matrix",
    "reason": "matrix",
    "kind": "like",  # a reaction
    "note": "matrix",  # a recommendation's
    "csrfmiddlewaretoken": CSRF_SECRET,
}
# What a POST sends besides FORM, where the form alone would say nothing about permission.
POST_FILES = {
    "read_topic": lambda: {"number": "1"},
    "read_topic@held": lambda: {"number": "1"},
    "upload": lambda: {"file": SimpleUploadedFile("matrix.png", image_bytes(), "image/png")},
    "avatar_settings": lambda: {
        "avatar": SimpleUploadedFile("matrix.png", image_bytes(), "image/png")
    },
    "account_settings": lambda: {"display_name": "Matrix", "theme": "dark"},
    "theme_setting": lambda: {"theme": "dark"},
}
URLS = site_urls()
_recorded: dict[str, dict[str, str]] = {}
_recorded_sights: dict[str, dict[str, list[str]]] = {}


def answer(response) -> str:
    if response.status_code in (301, 302, 303) and urlsplit(response["Location"]).path in (
        SIGN_IN_PAGES
    ):
        return "L"
    return str(response.status_code)


@pytest.fixture(scope="module", autouse=True)
def record_the_table():
    """With FOLKMOOT_MATRIX_RECORD set, write today's answers as rows for EXPECTED."""
    yield
    target = os.environ.get("FOLKMOOT_MATRIX_RECORD")
    if not target:
        return
    lines = []
    for url in URLS:
        cells = _recorded.get(url.key, {})
        row = " ".join(f"{cells.get(role, '?'):<8}" for role in ROLES).rstrip()
        lines.append(f"    {url.key!r}:".ljust(50) + f' "{row}",')
    lines.append("")
    for name in SECRETS:
        seen = [role for role in ROLES if _recorded_sights.get(role, {}).get(name)]
        where = {key for role in seen for key in _recorded_sights[role][name]}
        lines.append(f'    {name!r}: "{" ".join(seen)}",  # on {", ".join(sorted(where))}')
    with open(target, "w") as out:
        out.write("\n".join(lines) + "\n")


@pytest.mark.parametrize("url", URLS, ids=lambda url: url.key)
def test_the_answers_are_the_ones_in_the_table(world, db, url):
    path = url.path(world)
    got = {}
    for role in ROLES:
        client = world.client(role)
        client.cookies["csrftoken"] = CSRF_SECRET
        # Each role sends its own text, so an edit is never a no-op repeating the last role's.
        form = {**FORM, "body": f"{FORM['body']} as {role}", **POST_FILES.get(url.key, dict)()}
        got[role] = f"{answer(client.get(path))}/{answer(client.post(path, form))}"
    _recorded[url.key] = got
    actual_row = " ".join(f"{got[role]:<8}" for role in ROLES).rstrip()

    row = expected_for(EXPECTED, url.key)
    assert row is not None, (
        f"{url.key} ({url.route}) has no row in EXPECTED: who may use it? Today:\n"
        f'    {url.key!r}: "{actual_row}",'
    )
    expected = dict(zip(ROLES, row.split(), strict=True))
    wrong = [
        f"{role}: expected {expected[role]}, got {got[role]}"
        for role in ROLES
        if got[role] != expected[role]
    ]
    assert not wrong, (
        f"{url.key} ({path}):\n  "
        + "\n  ".join(wrong)
        + (f'\ntoday\'s row:\n    {url.key!r}: "{actual_row}",')
    )


def test_every_row_is_for_a_url_the_site_has():
    keys = {url.key for url in URLS}
    stale = [key for key in EXPECTED if "*" not in key and key not in keys]
    assert stale == []


# Who sees what only some may see, on any page of the site (every GET of the walk).
# fmt: off
SEEN_BY = {
    "held topic":  "category_moderator staff",  # on the queue; staff also on the topic
    "held reply":  "category_moderator staff",  # on the queue; staff also on its edit page
    # The guest on the topic and sign-up; who moderates its category on its edit page.
    "guest reply": "guest category_moderator staff",
    "guest email": "guest",  # on the topic, beside the guest's own pending post
    "draft":       "member",  # from the draft endpoint, to its author alone
}
# fmt: on
SECRETS = {
    "held topic": HELD_TOPIC,
    "held reply": HELD_REPLY,
    "guest reply": GUEST_REPLY,
    "guest email": GUEST_EMAIL,
    "draft": DRAFT,
}


@pytest.mark.parametrize("role", ROLES)
def test_what_only_some_may_see_is_shown_to_them_alone(world, db, role):
    shown: dict[str, list[str]] = {name: [] for name in SECRETS}
    for url in URLS:
        response = world.client(role).get(url.path(world))  # the role's cookies, afresh
        if response.status_code != 200 or response.streaming:
            continue
        text = response.content.decode(errors="replace")
        for name, secret in SECRETS.items():
            if secret in text:
                shown[name].append(url.key)
    _recorded_sights[role] = shown
    wrong = [
        f"{name}: {'shown' if where else 'not shown'} to {role}"
        + (f" (on {', '.join(where)})" if where else "")
        for name, where in shown.items()
        if bool(where) != (role in SEEN_BY.get(name, "").split())
    ]
    assert not wrong, "\n".join(wrong)
