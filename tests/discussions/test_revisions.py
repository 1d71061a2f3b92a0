import pytest

from folkmoot.discussions import services
from folkmoot.refusal import NotFound


def test_editing_keeps_the_old_body_as_a_revision(db, topic, member):
    post = topic.posts.get(number=1)
    services.edit_post(post=post, editor=member, body="Second thoughts")
    services.edit_post(post=post, editor=member, body="Third thoughts")
    post.refresh_from_db()
    assert post.body == "Third thoughts"
    assert "Third thoughts" in post.cooked
    assert post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == [
        "The first post of the topic.",
        "Second thoughts",
    ]


def test_a_member_cannot_edit_someone_elses_post(db, topic, other_member):
    with pytest.raises(NotFound):
        services.edit_post(post=topic.posts.get(number=1), editor=other_member, body="Mine now")


def test_a_banned_member_cannot_edit_their_own_post(db, topic, member):
    member.is_active = False
    member.save()
    with pytest.raises(NotFound):
        services.edit_post(post=topic.posts.get(number=1), editor=member, body="Changed")


def test_moderators_see_the_revision_history_and_members_do_not(client, topic, member, moderator):
    post = topic.posts.get(number=1)
    services.edit_post(post=post, editor=member, body="Edited body")
    url = f"/p/{post.pk}/revisions/"

    client.force_login(member)
    assert client.get(url).status_code == 404

    client.force_login(moderator)
    page = client.get(url)
    assert page.status_code == 200
    assert "The first post of the topic." in page.text
    assert "Edited body" in page.text


def test_editing_through_the_page_redirects_to_the_post(member_client, topic):
    post = topic.posts.get(number=1)
    response = member_client.post(f"/p/{post.pk}/edit/", {"body": "Better wording"})
    assert response.status_code == 302
    assert response.url == f"/p/{post.pk}/"
    post.refresh_from_db()
    assert post.body == "Better wording"


def test_an_empty_edit_is_refused_and_keeps_the_typed_text(member_client, topic):
    post = topic.posts.get(number=1)
    response = member_client.post(f"/p/{post.pk}/edit/", {"body": "   "})
    assert response.status_code == 400
    assert "Write something before posting." in response.text
    post.refresh_from_db()
    assert post.body == "The first post of the topic."
