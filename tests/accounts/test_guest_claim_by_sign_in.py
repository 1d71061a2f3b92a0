from folkmoot.discussions.models import Post
from tests.factories import PASSWORD
from tests.guests import guest_reply


def test_a_guest_using_a_members_email_is_asked_to_sign_in(client, topic, other_member):
    response = guest_reply(client, topic, email=other_member.email.upper())
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?email=")
    page = client.get(response.url).content.decode()
    assert "belongs to a member. Sign in to publish your post" in page
    assert f'value="{other_member.email.upper()}"' in page


def test_signing_in_claims_and_publishes_the_pending_post(client, topic, other_member):
    guest_reply(client, topic, body="Written before signing in", email=other_member.email)
    client.post("/accounts/login/", {"login": other_member.username, "password": PASSWORD})

    post = Post.objects.get(body="Written before signing in")
    assert post.status == Post.Status.PUBLISHED
    assert post.author == other_member
    assert post.number == 2
    other_member.refresh_from_db()
    assert other_member.post_count == 1


def test_signing_in_with_an_unverified_address_claims_nothing(client, topic, other_member):
    other_member.emailaddress_set.update(verified=False)
    guest_reply(client, topic, body="Not yours to claim", email=other_member.email)
    client.force_login(other_member)
    from allauth.account.signals import user_logged_in

    user_logged_in.send(sender=type(other_member), request=None, user=other_member)
    assert Post.objects.get(body="Not yours to claim").status == Post.Status.PENDING


def test_claiming_twice_publishes_once(client, topic, other_member):
    guest_reply(client, topic, body="Only once please", email=other_member.email)
    for _ in range(2):
        client.post("/accounts/login/", {"login": other_member.username, "password": PASSWORD})
        client.logout()
    assert Post.objects.filter(body="Only once please", status="published").count() == 1
    topic.refresh_from_db()
    assert topic.post_count == 2
