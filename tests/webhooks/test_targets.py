"""Safe targets: only http(s), only public addresses unless LOAM_WEBHOOK_ALLOWED_HOSTS says so,
checked at creation (422) and again at delivery."""

import socket

import pytest

from apps.webhooks import targets

REFUSED_ADDRESSES = [
    "127.0.0.1",  # loopback
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "169.254.169.254",  # cloud metadata (link-local)
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "[::1]",
    "[::]",
    "[fe80::1]",  # link-local
    "[fc00::1]",  # unique local
    "[fd00:ec2::254]",  # AWS metadata over IPv6
    "[ff02::1]",  # multicast
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:169.254.169.254]",
    "[64:ff9b::a01:203]",  # NAT64 of 10.1.2.3
    "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
]


@pytest.mark.parametrize("host", REFUSED_ADDRESSES)
def test_private_and_reserved_addresses_are_refused(host):
    with pytest.raises(targets.UnsafeTarget):
        targets.check(f"http://{host}/hook")


@pytest.mark.parametrize("host", ["93.184.215.14", "[2606:4700:4700::1111]"])
def test_public_addresses_are_accepted(host):
    target = targets.check(f"https://{host}:8443/hook?x=1")
    assert (target.port, target.path) == (8443, "/hook?x=1")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.215.14/x",
        "file:///etc/passwd",
        "gopher://93.184.215.14/",
        "http:///nohost",
        "http://user:pw@93.184.215.14/",
        "not a url",
        "http://93.184.215.14:99999/",
    ],
)
def test_only_plain_http_urls(url):
    with pytest.raises(targets.UnsafeTarget):
        targets.check(url)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))]
    fake.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80)))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: fake)
    with pytest.raises(targets.UnsafeTarget, match="10.0.0.5"):
        targets.check("http://hooks.example.com/x")


def test_an_unresolvable_name_is_refused(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(targets.UnsafeTarget, match="resolved"):
        targets.check("http://nowhere.invalid/x")


def test_allowed_hosts_by_cidr_and_by_name(settings, monkeypatch):
    settings.LOAM_WEBHOOK_ALLOWED_HOSTS = ["10.1.0.0/16", "hooks.internal"]
    assert targets.check("http://10.1.2.3/x").address == "10.1.2.3"
    with pytest.raises(targets.UnsafeTarget):
        targets.check("http://10.2.0.1/x")
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.5.5", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: fake)
    assert targets.check("http://HOOKS.internal./x").address == "192.168.5.5"
    with pytest.raises(targets.UnsafeTarget):
        targets.check("http://other.internal/x")
