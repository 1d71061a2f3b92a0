def test_admin_lists_categories_members_topics_and_posts(client, admin_user, topic):
    client.force_login(admin_user)
    for section in ("forums/category", "accounts/user", "discussions/topic", "discussions/post"):
        assert client.get(f"/admin/{section}/").status_code == 200


def test_editing_a_post_in_the_admin_re_renders_it_and_keeps_a_revision(client, admin_user, topic):
    post = topic.posts.get(number=1)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/discussions/post/{post.pk}/change/",
        {
            "body": "Edited by an **admin**",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert "<strong>admin</strong>" in post.cooked
    assert post.revisions.get().body == "The first post of the topic."
