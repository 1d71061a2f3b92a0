"""Following from the pages: the topic's button, the options page, a guest's "Sign in to
follow this", the reply form's box and the followed-content page."""

from django.test import Client

from folkmoot.discussions import services
from folkmoot.notifications.models import Delivery, Follow, MemberSettings
from tests.factories import PASSWORD, CategoryFactory, MemberFactory, make_topic


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_member_follows_a_topic_from_its_button_and_sees_the_count(db, member):
    topic = make_topic(replies=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = page(client, topic.get_absolute_url())
    assert "Follow this topic" in html
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/follow/topic/{topic.pk}/",
        {"csrfmiddlewaretoken": token, "is_public": "on", "next": topic.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    html = page(client, topic.get_absolute_url())
    assert 'aria-label="1 follower"' in html and "Following" in html
    client.post(
        f"/follow/topic/{topic.pk}/",
        {"csrfmiddlewaretoken": token, "action": "unfollow"},
    )
    assert not Follow.objects.exists()


def test_following_without_the_csrf_token_is_refused(db, member):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(f"/follow/topic/{topic.pk}/").status_code == 403
    assert not Follow.objects.exists()


def test_a_guest_signs_in_to_follow_and_comes_back_to_the_same_page_and_post(db):
    member = MemberFactory()
    topic = make_topic(replies=3)
    client = Client()
    back = f"{topic.get_absolute_url()}#post-3"
    html = page(client, topic.get_absolute_url())
    assert "Sign in to follow this" in html
    follow_url = f"/follow/topic/{topic.pk}/?next={back.replace('#', '%23')}"
    to_login = client.get(follow_url)
    assert to_login.status_code == 302 and to_login["Location"].startswith("/accounts/login/")
    signed_in = client.post(to_login["Location"], {"login": member.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    options = client.get(signed_in["Location"])
    assert "How do you want to hear about it?" in options.content.decode()
    done = client.post(signed_in["Location"], {"delivery": "site", "is_public": "on", "next": back})
    assert done["Location"] == back
    follow = Follow.objects.get(member=member, topic=topic)
    assert (follow.delivery, follow.is_public) == (Delivery.SITE, True)


def test_the_follower_list_names_visible_followers_and_counts_anonymous_ones(db, member):
    topic = make_topic()
    seen, hidden = MemberFactory(username="visible_vera"), MemberFactory(username="shy_sam")
    Follow.objects.create(member=seen, topic=topic)
    Follow.objects.create(member=hidden, topic=topic, is_public=False)
    member_client = Client()
    member_client.force_login(member)
    html = page(member_client, f"/follow/topic/{topic.pk}/")
    assert "visible_vera" in html and "shy_sam" not in html
    assert "2 followers" in html and "1 anonymous follower" in html


def test_the_reply_form_s_follow_box_is_ticked_by_default_and_follows(db, member, client):
    topic = make_topic()
    client.force_login(member)
    assert 'name="follow" value="on" checked' in page(client, topic.get_absolute_url())
    client.post(f"{topic.get_absolute_url()}reply/", {"body": "Count me in", "follow": "on"})
    assert Follow.objects.filter(member=member, topic=topic).exists()


def test_an_unticked_box_does_not_follow_and_the_setting_unticks_it(db, member, client):
    topic = make_topic()
    client.force_login(member)
    client.post(f"{topic.get_absolute_url()}reply/", {"body": "Just passing by"})
    assert not Follow.objects.exists()
    MemberSettings.objects.create(member=member, follow_when_posting=False)
    assert 'name="follow" value="on" checked' not in page(client, topic.get_absolute_url())


def test_starting_a_topic_with_the_box_ticked_follows_it(db, member, client):
    category = CategoryFactory()
    client.force_login(member)
    client.post(
        f"/c/{category.pk}-{category.slug}/new/",
        {"title": "Bike repair café", "body": "Every Saturday", "follow": "on"},
    )
    assert Follow.objects.filter(member=member, topic__title="Bike repair café").exists()


def test_followed_content_lists_everything_and_unfollows_in_bulk(db, member, client):
    category = CategoryFactory(name="Allotments")
    topic = make_topic(title="Seed swap")
    other = MemberFactory(username="gardener_gail")
    follows = [
        Follow.objects.create(member=member, topic=topic),
        Follow.objects.create(member=member, category=category),
        Follow.objects.create(member=member, followed_member=other),
    ]
    client.force_login(member)
    html = page(client, "/followed/")
    for name in ("Seed swap", "Allotments", "gardener_gail"):
        assert name in html
    client.post(
        "/followed/",
        {"follow": [follows[1].pk], "action": "change", "delivery": Delivery.WEEKLY},
    )
    assert Follow.objects.get(pk=follows[1].pk).delivery == Delivery.WEEKLY
    client.post("/followed/", {"follow": [follows[0].pk, follows[2].pk], "action": "unfollow"})
    assert list(Follow.objects.filter(member=member)) == [follows[1]]


def test_a_member_follows_a_category_and_another_member(db, member, client):
    category = CategoryFactory()
    other = MemberFactory()
    client.force_login(member)
    client.post(f"/follow/category/{category.pk}/", {"delivery": "daily"})
    client.post(f"/follow/member/{other.pk}/", {"delivery": "both", "is_public": "on"})
    assert Follow.objects.get(category=category).delivery == Delivery.DAILY
    assert Follow.objects.get(followed_member=other).is_public


def test_nobody_follows_themselves_or_a_topic_they_may_not_see(db, member, client, moderator):
    topic = make_topic()
    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    client.force_login(member)
    assert client.post(f"/follow/member/{member.pk}/").status_code == 404
    assert client.post(f"/follow/topic/{topic.pk}/").status_code == 404
    assert not Follow.objects.exists()
