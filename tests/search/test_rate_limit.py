from tests.conftest import set_limits


def test_searches_past_the_limit_are_refused_with_429_and_retry_after(client, db, settings):
    set_limits(settings, SEARCHES_PER_MINUTE=3)
    for _ in range(3):
        assert client.get("/search/", {"q": "anything"}).status_code == 200
    refused = client.get("/search/", {"q": "anything"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "searched 3 times in a minute" in refused.content.decode()
    assert client.get("/search/suggest.json", {"q": "any"}).status_code == 429
    # Another client is not held back.
    other = client.get("/search/", {"q": "anything"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_empty_search_page_is_not_counted(client, db, settings):
    set_limits(settings, SEARCHES_PER_MINUTE=1)
    for _ in range(3):
        assert client.get("/search/").status_code == 200
