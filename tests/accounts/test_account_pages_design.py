"""allauth's pages in the site's design: the site's header, one card, each error beside the field
it is about (between its label and its input), the password rules folded away."""

import re

from tests.factories import PASSWORD


def field_block(page: str, name: str) -> str:
    """The <div class="field"> that holds the input named `name`."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', page, flags=re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field block for {name}")


def test_sign_up_errors_stand_between_each_label_and_its_input(client, member):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "not-an-address",
            "username": member.username,  # taken
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    assert response.status_code == 200
    page = response.text
    assert 'class="site-header"' in page
    assert 'class="form-page entrance-page"' in page
    email = field_block(page, "email")
    assert "field-invalid" in email
    assert email.index("<label") < email.index('class="errorlist"') < email.index("<input")
    assert "valid email address" in email
    username = field_block(page, "username")
    assert username.index('class="errorlist"') < username.index("<input")
    # The other fields carry no error.
    assert 'class="errorlist"' not in field_block(page, "password2")


def test_the_password_rules_are_folded_under_the_password_field(client, db):
    page = client.get("/accounts/signup/").text
    password = field_block(page, "password1")
    assert "<details" in password and "What makes a good password" in password
    assert 'aria-describedby="id_password1_helptext"' in password
    assert 'id="id_password1_helptext"' in password


def test_a_wrong_password_is_said_above_the_sign_in_form(client, member):
    page = client.post(
        "/accounts/login/", {"login": member.username, "password": PASSWORD + "x"}
    ).text
    assert 'class="errorlist refusal form-errors" role="alert"' in page
    assert page.index('class="errorlist refusal') < page.index('name="login"')
    # The "forgot your password" link in the password's help stays in view.
    assert "Forgot your password?" in field_block(page, "password")
