"""What counts as "the same sender" for limits and bans.

An attacker who is capped or banned comes back as a variant of the same sender: another
address in the same IPv6 /64 (one customer's share, free to rotate), an IPv4 address written
as IPv6 (`::ffff:192.0.2.9`), or a mail address that reaches the same inbox (`+tags`, dots,
quotes, capitals) or looks the same to a reader (a Cyrillic `а` in the domain). Limits and bans
compare these keys, never the raw text; what is stored and shown stays as given.
"""

import contextlib
import functools
import ipaddress
import re
import unicodedata

IPV6_SUBNET = 64  # what one customer is given; privacy extensions rotate inside it

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def ip_address(value: str | None) -> Address | None:
    """The address, with IPv4-mapped IPv6 (`::ffff:a.b.c.d`) read as the IPv4 it is; None if
    it is not an address."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        address = ipaddress.IPv6Address(int(address))  # drop any %zone
    return address


def ip_network(value: str) -> Network:
    """A banned range as entered (address or CIDR), mapped IPv4 ranges read as IPv4, and an
    IPv6 range narrower than a /64 widened to it. Raises ValueError for anything else."""
    network = ipaddress.ip_network(value.strip(), strict=False)
    if isinstance(network, ipaddress.IPv6Network):
        mapped = ipaddress.ip_network("::ffff:0:0/96")
        if network.subnet_of(mapped) and network.prefixlen >= 96:
            first = network.network_address.ipv4_mapped
            return ipaddress.ip_network(f"{first}/{network.prefixlen - 96}", strict=False)
        if network.prefixlen > IPV6_SUBNET:
            return network.supernet(new_prefix=IPV6_SUBNET)
    return network


def ip_key(value: str | None) -> str:
    """The sender an address counts as: an IPv4 address, or the IPv6 /64 it is in."""
    address = ip_address(value)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_SUBNET}", strict=False))
    return str(address)


@functools.cache
def _ascii_lookalikes() -> dict[str, str]:
    """Unicode's confusables table cut down to the characters a reader could take for an ASCII
    one (~1,800 of 9,600), read at the first non-ASCII address: the whole table is ~6 MiB of
    objects, which every process held when it was read at import (BENCHMARKS.md, memory)."""
    from confusable_homoglyphs import utils

    table = {}
    for char, lookalikes in utils.load("confusables.json").items():
        ascii_forms = [g["c"] for g in lookalikes if g["c"].isascii() and g["c"].isprintable()]
        if ascii_forms:
            table[char] = ascii_forms[0].casefold()
    return table


def _skeleton(text: str) -> str:
    """Each character a reader could take for an ASCII one becomes that character (Unicode's
    confusables table, as in UTS #39's skeleton); ASCII itself is left alone, so `l` and `1`
    stay different addresses."""
    out = []
    for char in unicodedata.normalize("NFKC", text).casefold():
        if char.isascii():
            out.append(char)
            continue
        out.append(_ascii_lookalikes().get(char, char))
    return "".join(out)


_QUOTED_PAIR = re.compile(r"\\(.)")


def email_key(email: str | None) -> str:
    """The inbox an address reaches, as far as limits and bans care: case, `+tag`, dots and
    quotes in the local part dropped, the domain decoded from IDNA, lookalike characters
    mapped to ASCII. `"J.Doe+x"@EXАMPLE.org` (Cyrillic А) -> `jdoe@example.org`."""
    if not email:
        return ""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        local, domain = domain, ""
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = _QUOTED_PAIR.sub(r"\1", local[1:-1])
    local = local.replace('"', "")
    local = local.split("+", 1)[0].replace(".", "")
    domain = domain.strip().rstrip(".")
    # idna's tables (~0.5 MiB) load with the first address, not in every process that imports
    # the limits, as a web worker serving only pages does.
    import idna

    # Not a valid IDN (a homoglyph mix can be invalid): the skeleton still applies.
    with contextlib.suppress(idna.IDNAError, UnicodeError, ValueError):
        domain = idna.decode(domain, uts46=True)
    return f"{_skeleton(local)}@{_skeleton(domain)}"
