"""allauth's account emails (here a password reset), queued in our outbox like every email, are
written in the language their member chose, whoever asks for them."""

from tests.factories import MemberFactory


def test_a_password_reset_is_emailed_in_the_language_the_member_chose(client, db, mailbox):
    german = MemberFactory(language="de")
    english = MemberFactory(language="")
    for member in (german, english):
        assert client.post("/accounts/password/reset/", {"email": member.email}).status_code == 302

    [to_german] = mailbox.to(german.email)
    assert "E-Mail zum Zurücksetzen des Passworts" in mailbox.subject(to_german)
    [to_english] = mailbox.to(english.email)
    assert "Password Reset Email" in mailbox.subject(to_english)
