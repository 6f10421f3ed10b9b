"""Which URLs a web capture may fetch: the scheme, credentials, domain lists and, above all, the addresses.

Every request of a capture (the page, each redirect, each image, script and video) is checked here, and the
address that was checked is the one connected to (`resolve_checked`), so a host name cannot resolve to a public
address for the check and to a private one for the connection.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

ALLOWED_SCHEMES = {"http", "https"}
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
METADATA_ADDRESSES |= {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("168.63.129.16")}


class Refused(Exception):
    """The URL may not be captured. `code` is stored; the message is shown."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Policy:
    allow_private: bool = False
    allow_domains: tuple[str, ...] = ()
    deny_domains: tuple[str, ...] = ()


def _matches(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (d.lower().strip(".") for d in domains if d))


def check_url(url: str, policy: Policy, *, top_level: bool = True) -> tuple[str, str, int]:
    """Refuse what may never be fetched; returns (scheme, host, port). The allow-list applies to the pages a
    researcher asks for (top level), the deny-list to every request."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Refused("invalid_url", _("The URL is not valid: %(error)s") % {"error": exc}) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise Refused(
            "scheme", _("Only http and https addresses can be captured, not “%(scheme)s:”.") % {"scheme": scheme}
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("credentials", _("URLs with a user name or password in them are refused."))
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("invalid_url", _("The URL has no host name."))
    if _matches(host, policy.deny_domains):
        raise Refused("domain_denied", _("The domain %(host)s is on the deny-list.") % {"host": host})
    if top_level and policy.allow_domains and not _matches(host, policy.allow_domains):
        raise Refused("domain_not_allowed", _("The domain %(host)s is not on the allow-list.") % {"host": host})
    return scheme, host, port or (443 if scheme == "https" else 80)


def address_allowed(ip: str, policy: Policy) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local or address in METADATA_ADDRESSES:
        return False  # never, not even in tests: the cloud metadata services live here
    if address.is_multicast or address.is_unspecified:
        return False
    if policy.allow_private and (address.is_loopback or address.is_private):
        return True
    # is_global is false for loopback, private, link-local (169.254.169.254, the cloud metadata address),
    # shared (100.64/10), reserved, documentation and unique-local (fd00:ec2::254) ranges.
    return address.is_global and not address.is_multicast


def resolve_checked(host: str, port: int, policy: Policy) -> str:
    """The address to connect to, after checking every address the name resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns", _("The host name %(host)s could not be resolved.") % {"host": host}) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise Refused("dns", _("The host name %(host)s could not be resolved.") % {"host": host})
    for address in addresses:
        if not address_allowed(address, policy):
            raise Refused(
                "blocked_address",
                _("%(host)s resolves to %(address)s, a loopback, private, link-local or metadata address.")
                % {"host": host, "address": address},
            )
    return addresses[0]
