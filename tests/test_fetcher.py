import pytest

from folkmoot.fetcher import FetchRefused, fetch

PRIVATE = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[fd00::1]/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_and_local_addresses_are_refused_before_any_connection(url, settings):
    with pytest.raises(FetchRefused, match="not on the public internet"):
        fetch(url, max_bytes=1000)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url, settings):
    with pytest.raises(FetchRefused, match="Only http and https"):
        fetch(url, max_bytes=1000)


def test_a_redirect_into_the_private_network_is_refused(local_web):
    url = local_web.redirect("/hop", "http://10.1.2.3/admin")
    with pytest.raises(FetchRefused, match="not on the public internet"):
        fetch(url, max_bytes=1000)


def test_redirects_are_followed_and_each_hop_checked(local_web):
    target = local_web.serve("/final.txt", b"arrived", "text/plain")
    url = local_web.redirect("/start", target)
    fetched = fetch(url, max_bytes=1000)
    assert fetched.content == b"arrived"
    assert fetched.content_type == "text/plain"


def test_bodies_over_the_limit_are_refused(local_web):
    url = local_web.serve("/big.bin", b"x" * 5000, "application/octet-stream")
    with pytest.raises(FetchRefused, match="too large"):
        fetch(url, max_bytes=1000)
