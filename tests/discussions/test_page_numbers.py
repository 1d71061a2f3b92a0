"""?page= takes ASCII page numbers only; anything else is a 404, never a 500."""

import pytest

from tests.factories import make_topic


@pytest.fixture
def long_topic(db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    return make_topic(replies=4)  # 5 posts: 3 pages


@pytest.mark.parametrize("page", ["²", "٣", "१", "１", "2\x00", "-1", "+2", " 2", "0", "00", "1e3"])
def test_a_page_that_is_not_an_ascii_number_is_not_found(client, long_topic, page):
    assert client.get(long_topic.get_absolute_url(), {"page": page}).status_code == 404
    category = long_topic.category
    assert client.get(category.get_absolute_url(), {"page": page}).status_code == 404


def test_a_page_number_past_pythons_int_limit_is_the_last_page(client, long_topic):
    response = client.get(long_topic.get_absolute_url(), {"page": "9" * 4301})
    assert response.status_code == 200
    assert 'id="post-5"' in response.text
    category = long_topic.category
    assert client.get(category.get_absolute_url(), {"page": "7" * 4301}).status_code == 200


def test_leading_zeros_and_huge_numbers_within_limits_still_work(client, long_topic):
    assert 'id="post-3"' in client.get(long_topic.get_absolute_url(), {"page": "002"}).text
    assert 'id="post-5"' in client.get(long_topic.get_absolute_url(), {"page": "99999999999"}).text


def test_a_wrong_slug_redirects_with_the_page_number_encoded(client, long_topic):
    response = client.get(f"/t/{long_topic.pk}-wrong/", {"page": "2&x=<script>"})
    assert response.status_code == 301
    assert response.url.endswith("?page=2%26x%3D%3Cscript%3E")
