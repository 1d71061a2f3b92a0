"""The SSRF-guarded fetcher: its address policy, its URL parsing, its deadline and its size cap,
against hostile URLs and real servers on 127.0.0.1."""

import gzip
import ipaddress
import time
import tracemalloc
import zlib

import pytest

from folkmoot.fetcher import FETCH_FAILED_MESSAGE, FetchRefused, address_refusal, fetch
from tests.conftest import set_limits

REFUSED_ADDRESSES = [
    # IPv4 special-purpose registry
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1",
    "127.255.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
    "192.0.0.9", "192.0.0.170", "192.0.0.192", "192.0.2.1", "192.31.196.1", "192.52.193.1",
    "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.255",
    "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1",
    "255.255.255.255",
    # IPv6 special-purpose registry, and everything outside global unicast 2000::/3
    "::", "::1", "fe80::1", "fe80::1%eth0", "fec0::1", "fc00::1", "fd12:3456::1",
    "2001:db8::1", "100::1", "100:0:0:1::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:2::1", "2001:10::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "ff02::1", "ff0e::1",
    "64:ff9b:1::a00:1", "4000::1", "1234::1",
    # IPv6 forms that carry a private IPv4 address
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
    "::10.0.0.1", "::ffff:0:7f00:1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1", "2002:c0a8:101::1", "2002:a00:1::",
]  # fmt: skip
PUBLIC_ADDRESSES = [
    "93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001::200e",
    "::ffff:93.184.215.14", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1",
]  # fmt: skip


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_special_purpose_addresses_are_refused(address, settings):
    assert address_refusal(ipaddress.ip_address(address), 80) is not None


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_on_web_ports_are_allowed(address, settings):
    assert address_refusal(ipaddress.ip_address(address), 443) is None


@pytest.mark.parametrize("port", [22, 25, 6379, 5432, 8080, 11211, 0, 65535])
def test_only_ports_80_and_443_are_allowed_by_default(port, settings):
    assert address_refusal(ipaddress.ip_address("93.184.215.14"), port) is not None


def test_operators_open_and_close_networks_and_ports(settings):
    set_limits(
        settings,
        FETCH_ALLOW_NETWORKS=["10.20.0.0/16", "fd00:1::/32"],
        FETCH_DENY_NETWORKS=["93.184.0.0/16", "10.20.30.0/24"],
        FETCH_PORTS={80, 443, 8443},
    )
    assert address_refusal(ipaddress.ip_address("10.20.1.1"), 80) is None
    assert address_refusal(ipaddress.ip_address("fd00:1::5"), 8443) is None
    assert address_refusal(ipaddress.ip_address("93.184.215.14"), 443) is not None
    assert address_refusal(ipaddress.ip_address("::ffff:93.184.215.14"), 443) is not None
    assert address_refusal(ipaddress.ip_address("10.20.30.1"), 80) is not None  # deny wins
    assert address_refusal(ipaddress.ip_address("10.21.0.1"), 80) is not None
    assert address_refusal(ipaddress.ip_address("1.1.1.1"), 8443) is None


HOSTILE_URLS = [
    # private and special addresses, literally and in disguise
    "http://127.0.0.1/", "http://localhost/", "http://localhost./", "http://127.0.0.1./",
    "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://192.0.0.192/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::1]/",
    "http://[fec0::1]/", "http://[fe80::1%25eth0]/", "http://[2001::1]/",
    "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
    "http://127.1/", "http://017700000001/", "http://%31%32%37.0.0.1/", "http://0/",
    # ports
    "http://93.184.215.14:6379/", "http://93.184.215.14:25/", "https://1.1.1.1:22/",
    "http://example.org:8080/",
    # user info and parser confusion
    "http://user@example.org/", "http://evil.example@127.0.0.1/", "http://a:b@1.1.1.1/",
    "http://127.0.0.1\\@example.org/", "http://example.org\\@127.0.0.1/",
    "http://exa mple.org/", "http://example.org\t/",
    # schemes
    "file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "javascript:alert(1)",
    "data:image/png;base64,AAAA", "//example.org/x", "example.org/x", "",
    # junk
    "http://[::1", "http://[::1]x/", "http://example.org:99999/", "http://example.org:-1/",
    "http://example.org:http/", "http://" + "a" * 64 + ".example.org/",
    "http://" + ".".join(["abcdefghij"] * 26) + "/", "http://", "http:///x", "http://./",
    "http://..example.org/", "http://[]/", "http://[zzzz::1]/", "http://exam\x00ple.org/",
    "http://example.org/" + "a" * 5000, "http://\u2025.example/",
]  # fmt: skip


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_are_refused_with_the_one_generic_message(url, settings):
    with pytest.raises(FetchRefused) as refused:
        fetch(url, max_bytes=1000)
    assert str(refused.value) == FETCH_FAILED_MESSAGE


def test_a_redirect_into_the_private_network_is_refused(local_web):
    url = local_web.redirect("/hop", "http://10.1.2.3/admin")
    with pytest.raises(FetchRefused, match=FETCH_FAILED_MESSAGE):
        fetch(url, max_bytes=1000)


def test_a_redirect_to_a_disguised_metadata_address_is_refused(local_web):
    url = local_web.redirect("/hop", "http://[::ffff:169.254.169.254]/latest/")
    with pytest.raises(FetchRefused):
        fetch(url, max_bytes=1000)


def test_redirects_are_followed_and_each_hop_checked(local_web):
    target = local_web.serve("/final.txt", b"arrived", "text/plain")
    url = local_web.redirect("/start", target)
    fetched = fetch(url, max_bytes=1000)
    assert fetched.content == b"arrived"
    assert fetched.content_type == "text/plain"


def test_loopback_is_refused_without_the_tests_switch_even_on_an_open_port(local_web, settings):
    url = local_web.serve("/secret", b"internal", "text/plain")
    set_limits(settings, FETCH_ALLOW_LOOPBACK=False)
    with pytest.raises(FetchRefused):
        fetch(url, max_bytes=1000)
    assert local_web.hits == []  # refused before connecting


def test_the_operator_allow_list_opens_a_network_and_port(local_web, settings):
    url = local_web.serve("/intranet", b"ok", "text/plain")
    set_limits(
        settings,
        FETCH_ALLOW_LOOPBACK=False,
        FETCH_ALLOW_NETWORKS=["127.0.0.1/32"],
        FETCH_PORTS={80, 443, local_web.port},
    )
    assert fetch(url, max_bytes=1000).content == b"ok"


def test_every_failure_says_the_same_thing(local_web, settings):
    missing = local_web.url + "/missing"
    big = local_web.serve("/big.bin", b"x" * 5000, "application/octet-stream")
    failures = []
    for url in (missing, big, "http://10.0.0.1/", "http://93.184.215.14:6379/", "http://[::1"):
        with pytest.raises(FetchRefused) as refused:
            fetch(url, max_bytes=1000)
        failures.append(str(refused.value))
    assert set(failures) == {FETCH_FAILED_MESSAGE}


def test_bodies_over_the_limit_are_refused(local_web):
    url = local_web.serve("/big.bin", b"x" * 5000, "application/octet-stream")
    with pytest.raises(FetchRefused):
        fetch(url, max_bytes=1000)


@pytest.mark.parametrize("headers_too", [False, True])
def test_a_server_that_drips_bytes_is_cut_off_at_the_deadline(local_web, settings, headers_too):
    set_limits(settings, FETCH_DEADLINE_SECONDS=2)
    url = local_web.drip("/slow", every=0.2, headers_too=headers_too, size=200)  # 40 s in all
    started = time.monotonic()
    with pytest.raises(FetchRefused):
        fetch(url, max_bytes=10_000)
    assert time.monotonic() - started < 3


def test_a_gzip_bomb_is_refused_without_inflating_it(local_web):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MB in ~200 KB
    url = local_web.serve_raw(
        "/bomb", 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb
    )
    tracemalloc.start()
    try:
        with pytest.raises(FetchRefused):
            fetch(url, max_bytes=512 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


@pytest.mark.parametrize(
    "encoding, encode",
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("identity", lambda data: data)],
)
def test_compressed_answers_are_decoded(local_web, encoding, encode):
    page = b"<title>Compressed</title>" * 10
    url = local_web.serve_raw(
        "/page", 200, {"Content-Type": "text/html", "Content-Encoding": encoding}, encode(page)
    )
    assert fetch(url, max_bytes=1000).content == page


def test_unknown_content_encodings_are_refused(local_web):
    url = local_web.serve_raw(
        "/page", 200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x1b\x00"
    )
    with pytest.raises(FetchRefused):
        fetch(url, max_bytes=1000)
