"""A bug (not a fault of the machine) still gets the designed page, with the user's text and
an honest "it may or may not have been saved"."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.faults.urls")


def test_a_bug_answers_the_designed_500_page_with_the_text_kept(member):
    browser = Client(raise_request_exception=False)
    browser.force_login(member)
    response = browser.post("/broken/", {"title": "My title", "body": "Words I typed"})
    assert response.status_code == 500
    assert 'class="site-header"' in response.text
    assert "may or may not have been saved" in response.text
    assert ">My title</textarea>" in response.text
    assert ">Words I typed</textarea>" in response.text
    assert "Server Error (500)" not in response.text


def test_a_bug_answers_json_to_the_editor(member):
    browser = Client(raise_request_exception=False)
    browser.force_login(member)
    response = browser.put(
        "/broken/",
        '{"body": "x", "seq": 0}',
        "application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 500
    assert "something went wrong on our side" in response.json()["error"]


def test_passwords_are_never_echoed_back(db):
    browser = Client(raise_request_exception=False)
    response = browser.post("/broken/", {"body": "hello", "password1": "hunter2-secret"})
    assert "hunter2-secret" not in response.text
