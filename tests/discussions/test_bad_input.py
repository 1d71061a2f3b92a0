from django.conf import settings


def test_an_over_long_reply_is_refused_and_the_text_is_kept(member_client, topic):
    body = "x" * (settings.FOLKMOOT["POST_MAX_LENGTH"] + 1)
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": body})
    assert response.status_code == 400
    assert "Posts can be at most" in response.text
    assert body in response.text
    assert topic.posts.count() == 1


def test_an_empty_reply_is_refused_with_a_clear_message(member_client, topic):
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "  \n "})
    assert response.status_code == 400
    assert "Write something before posting." in response.text


def test_too_many_emoji_are_refused_with_the_editor_message(member_client, topic):
    body = "Wow " + "🎉" * (settings.FOLKMOOT["EMOJI_MAX"] + 1)
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": body})
    assert response.status_code == 400
    assert f"Only {settings.FOLKMOOT['EMOJI_MAX']} emoji are allowed." in response.text
    assert body in response.text


def test_a_new_topic_with_a_bad_title_keeps_both_fields(member_client, category):
    response = member_client.post(
        f"/c/{category.pk}-{category.slug}/new/", {"title": "x" * 300, "body": "My long body"}
    )
    assert response.status_code == 400
    assert "Titles can be at most" in response.text
    assert "My long body" in response.text
    assert 'value="' + "x" * 300 + '"' in response.text


def test_starting_a_topic_lands_on_it(member_client, category):
    response = member_client.post(
        f"/c/{category.pk}-{category.slug}/new/",
        {"title": "A brand new topic", "body": "Let us talk."},
    )
    assert response.status_code == 302
    page = member_client.get(response.url)
    assert "A brand new topic" in page.text and "Let us talk." in page.text


def test_replying_redirects_to_the_new_posts_permalink(member_client, topic):
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Hello there"})
    post = topic.posts.get(number=2)
    assert response.status_code == 302
    assert response.url == f"/p/{post.pk}/"


def test_anonymous_reply_is_sent_to_sign_in_and_posts_nothing(client, topic):
    # Where guests may post, an anonymous reply is a guest reply (tests/accounts/test_guest_*).
    topic.category.guest_policy = "none"
    topic.category.save()
    response = client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Sneaky"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert topic.posts.count() == 1


def test_a_reply_to_a_missing_topic_is_404(member_client, db):
    assert member_client.post("/t/424242-gone/reply/", {"body": "Hello"}).status_code == 404


def test_a_banned_member_cannot_reply(client, topic, banned):
    client.force_login(banned)
    response = client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "I am back"})
    # Signed out, so treated as a guest, who must give an (unbanned) email: 400.
    assert response.status_code in (302, 400, 404)
    assert topic.posts.count() == 1


def test_a_locked_topic_takes_no_replies_from_members(member_client, topic):
    topic.is_locked = True
    topic.save()
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Let me in"})
    assert response.status_code == 404
    assert topic.posts.count() == 1


def test_reply_without_csrf_token_is_refused(member, topic):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "Forged"})
    assert response.status_code == 403
    assert topic.posts.count() == 1
