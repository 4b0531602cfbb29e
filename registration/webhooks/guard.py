"""Where a webhook may go: http(s) URLs of public hosts, unless WEBHOOK_ALLOWED_HOSTS says
otherwise (tests, intranets). Checked when a subscription is saved, again before every
delivery after resolving the name, and on the socket itself once it is connected (a name
that resolves differently between the check and the connection changes nothing)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext

from registration.i18n import N_

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefusedError(ValueError):
    """Why a URL may not receive webhooks, fit to show its owner: the English message
    (str(error), for the delivery log) and the marked message with its values, worded in the
    page's language by `translated()`."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values

    def translated(self) -> str:
        return gettext(self.message, **self.values)


def is_public(address: IPAddress) -> bool:
    """A global unicast address (not loopback, private, link-local, shared, reserved...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def allowed(host: str, allowlist: Iterable[str]) -> bool:
    """Is the host (a name or an address) on the allowlist of names, addresses, networks?"""
    host = host.lower().strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in allowlist:
        entry = entry.lower()
        if entry == host:
            return True
        if address is not None and "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def allowlist() -> list[str]:
    return current_app.config["WEBHOOK_ALLOWED_HOSTS"]


def split_target(url: str) -> tuple[str, int]:
    """Host and port of an http(s) URL without credentials; TargetRefusedError otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise TargetRefusedError(N_("This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefusedError(N_("Give an http:// or https:// URL with a host name."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefusedError(N_("Leave user names and passwords out of the URL."))
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefusedError(
            N_("The host name %(host)s cannot be resolved."), host=host
        ) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s), or whose host resolves to a non-public address."""
    host, port = split_target(url)
    if allowed(host, allowlist()):
        return
    for address in resolve(host, port):
        if not is_public(address):
            raise TargetRefusedError(
                N_(
                    "%(host)s leads to %(address)s, an address of a private or local network: "
                    "webhooks go to public hosts only."
                ),
                host=host,
                address=str(address),
            )


def check_peer(host: str, peer: str, allowlist: Iterable[str]) -> None:
    """The connected socket's address must be public unless the host is allowed."""
    if allowed(host, allowlist):
        return
    address = ipaddress.ip_address(peer.split("%")[0])
    if not is_public(address):
        raise TargetRefusedError(
            N_("%(host)s connected to %(address)s, which is not a public address."),
            host=host,
            address=str(address),
        )
