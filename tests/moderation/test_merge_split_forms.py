"""The topic page's tools for merging and for ticked posts work as plain forms, without
JavaScript: merge into a topic given by number or link; hide, delete (after a confirmation),
split or move the ticked posts. A refused form comes back with the choice kept."""

import pytest

from folkmoot.discussions.models import Post, Topic
from folkmoot.moderation.models import ModerationLog
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def moderator(db, category):
    mod = MemberFactory(username="catmod")
    category.moderators.add(mod)
    return mod


@pytest.fixture
def long_topic(category):
    return make_topic(category=category, title="A long talk", replies=4)


def ids(topic, *numbers):
    return [str(pk) for pk in topic.posts.filter(number__in=numbers).values_list("pk", flat=True)]


def test_the_topic_page_offers_merge_and_a_box_to_tick_each_post(client, moderator, long_topic):
    client.force_login(moderator)
    page = client.get(long_topic.get_absolute_url()).text
    assert f'action="/mod/t/{long_topic.pk}/merge/"' in page
    assert 'id="selected-posts"' in page
    assert page.count('form="selected-posts"') == 5
    client.force_login(MemberFactory())
    page = client.get(long_topic.get_absolute_url()).text
    assert "selected-posts" not in page and "/merge/" not in page


def test_merging_by_link_redirects_to_the_target(client, moderator, category, long_topic):
    other = make_topic(category=category, title="The older talk", replies=1)
    client.force_login(moderator)
    link = f"https://forum.example/t/{other.pk}-{other.slug}/?page=1"
    response = client.post(f"/mod/t/{long_topic.pk}/merge/", {"into": link, "reason": "Dupe"})
    assert response.status_code == 302 and response.url == other.get_absolute_url()
    assert Topic.objects.get(pk=long_topic.pk).merged_into_id == other.pk
    page = client.get(response.url).text
    assert "Merged “A long talk” into this topic." in page


def test_a_merge_into_nothing_shows_the_form_again(client, moderator, long_topic):
    client.force_login(moderator)
    for into, error in (("nonsense", "Give the topic"), ("999999", "No such topic")):
        response = client.post(f"/mod/t/{long_topic.pk}/merge/", {"into": into})
        assert response.status_code == 400
        assert error in response.text and f'value="{into}"' in response.text
    response = client.post(f"/mod/t/{long_topic.pk}/merge/", {"into": str(long_topic.pk)})
    assert response.status_code == 400 and "cannot be merged into itself" in response.text
    assert not ModerationLog.objects.exists()


def test_ticked_posts_are_hidden_with_one_reason(client, moderator, long_topic):
    client.force_login(moderator)
    data = {"action": "hide", "post": ids(long_topic, 2, 4), "reason": "Spam wave"}
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 302
    hidden = long_topic.posts.filter(status=Post.Status.DELETED)
    assert sorted(hidden.values_list("number", flat=True)) == [2, 4]
    assert "Hid 2 posts." in client.get(response.url).text


def test_ticked_posts_are_deleted_only_after_a_confirmation(client, moderator, long_topic):
    client.force_login(moderator)
    data = {"action": "delete", "post": ids(long_topic, 3, 5)}
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 200 and "Delete 2 posts?" in response.text
    assert "Reply number 2" in response.text
    assert long_topic.posts.published().count() == 5
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert long_topic.posts.published().count() == 3


def test_ticked_posts_split_into_a_new_topic(client, moderator, category, long_topic):
    client.force_login(moderator)
    data = {
        "action": "split",
        "post": ids(long_topic, 4, 5),
        "title": "A side discussion",
        "category": str(category.pk),
    }
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 302
    new = Topic.objects.get(title="A side discussion")
    assert response.url == new.get_absolute_url() and new.post_count == 2


def test_a_refused_split_keeps_the_ticked_posts_and_says_why(client, moderator, long_topic):
    client.force_login(moderator)
    chosen = ids(long_topic, 1, 3)
    data = {"action": "split", "post": chosen, "title": "Will not work", "category": "0"}
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 400
    for pk in chosen:
        assert f'name="post" value="{pk}"' in response.text
    category = long_topic.category_id
    data["category"] = str(category)
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 400 and "The opening post stays with its topic" in response.text
    assert Topic.objects.count() == 1


def test_ticked_posts_move_to_another_topic(client, moderator, category, long_topic):
    other = CategoryFactory(name="Other")
    target = make_topic(category=other, title="Where they belong", replies=0)
    client.force_login(moderator)
    data = {"action": "move", "post": ids(long_topic, 2), "to": str(target.pk)}
    # A moderator of one category only may not move posts into another's topic.
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 400 and "No such topic among those you moderate" in response.text
    other.moderators.add(moderator)
    response = client.post(f"/mod/t/{long_topic.pk}/posts/", data)
    assert response.status_code == 302 and response.url == target.get_absolute_url()
    assert Topic.objects.get(pk=target.pk).post_count == 2


def test_nobody_else_reaches_the_forms(client, long_topic):
    for user in (MemberFactory(), None):
        client.logout()
        if user:
            client.force_login(user)
        for path in ("merge/", "posts/"):
            response = client.post(
                f"/mod/t/{long_topic.pk}/{path}", {"into": "1", "action": "hide"}
            )
            assert response.status_code in (302, 404)  # anonymous: to sign in
            if user:
                assert response.status_code == 404


def test_a_reply_sent_to_a_merged_topic_comes_back_in_the_topic_it_joined(
    client, moderator, category, long_topic
):
    other = make_topic(category=category, title="The joined talk", replies=0)
    writer = MemberFactory()
    client.force_login(moderator)
    client.post(f"/mod/t/{long_topic.pk}/merge/", {"into": str(other.pk)})
    client.force_login(writer)
    response = client.post(f"{long_topic.get_absolute_url()}reply/", {"body": "My kept words"})
    assert response.status_code == 409
    assert "merged the topic into this one" in response.text
    assert "My kept words" in response.text and "The joined talk" in response.text
    assert not Post.objects.filter(body="My kept words").exists()
