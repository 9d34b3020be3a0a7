"""Safe webhook targets: Loam must not become a proxy into its own network (SSRF).

A target is an http(s) URL whose host resolves only to public addresses. Private, loopback,
link-local (the cloud metadata address 169.254.169.254 among them), multicast, reserved and
unspecified addresses are refused, in IPv4 and IPv6, IPv4-mapped and NAT64 forms included.
LOAM_WEBHOOK_ALLOWED_HOSTS names exceptions (host names or CIDRs). The check runs when a
webhook is saved and again before every delivery, which then connects to the very address
checked (a DNS answer cannot change between the check and the connection).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeTarget(Exception):
    """The URL may not be used as a webhook target; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the vetted IP to connect to


def _allowed_hosts() -> tuple[set[str], list]:
    names, networks = set(), []
    for entry in settings.LOAM_WEBHOOK_ALLOWED_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return None


def is_public(ip: IPAddress) -> bool:
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return is_public(embedded)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(_("The host %(host)s could not be resolved.") % {"host": host}) from None
    # Drop an IPv6 zone ("fe80::1%eth0"): the address itself decides.
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) URL, or UnsafeTarget."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeTarget(_("This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget(_("Only http and https URLs can receive webhooks."))
    if not parts.hostname:
        raise UnsafeTarget(_("The URL needs a host."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(_("The URL may not carry a user name or password."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def check(url: str) -> Target:
    """The target to connect to, or UnsafeTarget. Resolves the host (DNS) each time."""
    scheme, host, port, path = parse(url)
    names, networks = _allowed_hosts()
    addresses = _resolve(host, port)
    if not addresses:
        raise UnsafeTarget(_("The host %(host)s has no address.") % {"host": host})
    named = host.lower().rstrip(".") in names
    for ip in addresses:
        allowed = named or any(ip in net for net in networks if ip.version == net.version)
        if not allowed and not is_public(ip):
            raise UnsafeTarget(
                _("%(host)s resolves to %(ip)s, a private or reserved address.")
                % {"host": host, "ip": ip}
            )
    return Target(scheme, host, port, path, str(addresses[0]))
