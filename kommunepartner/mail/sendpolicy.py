"""Who may be mailed with which settings: development settings reach only a mail catcher on this
machine (or one test address), so a rehearsal cannot mail readers development links."""

from __future__ import annotations

import ipaddress

from kommunepartner.base.config import Config
from kommunepartner.base.errors import ConfigError
from kommunepartner.mail.smtp import SmtpUrl


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: a server on this machine."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_destination(config: Config, url: SmtpUrl, test: bool) -> None:
    """Refuse a send to readers through a real server with development settings."""
    if config.production or test or is_loopback(url.host):
        return
    raise ConfigError(
        f"the development settings send only to a mail catcher on this machine (127.0.0.1,"
        f" ::1, localhost) or to one address with --to, not to {url.host} — their links point"
        " at the development site; pass --settings publishconf.py to send to readers",
        "--smtp",
    )
