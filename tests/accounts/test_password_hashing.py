"""Passwords are stored with Argon2id (the suite itself hashes with MD5 for speed, see
tests/conftest.py; these tests put the real settings back)."""

from django.contrib.auth.hashers import make_password

from folkmoot import settings as project_settings
from folkmoot.accounts.models import User
from tests.accounts.test_signup import sign_up
from tests.factories import PASSWORD, MemberFactory


def test_a_new_accounts_password_is_stored_with_argon2id(settings, client, db, mailbox):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    sign_up(client, username="hashed", email="hashed@example.org")
    assert User.objects.get(username="hashed").password.startswith("argon2$argon2id$")


def test_an_older_hash_still_signs_in_and_is_upgraded_to_argon2id(settings, client, db):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    member = MemberFactory()
    User.objects.filter(pk=member.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    assert member.password.startswith("argon2$argon2id$")
