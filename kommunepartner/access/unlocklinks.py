"""Unlock links: a page URL whose fragment carries a partner's key (`#k=<id>.<key>`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kommunepartner.access.crypto import unlock_token
from kommunepartner.base.errors import ConfigError
from kommunepartner.content.registry import Partner, Registry


@dataclass(frozen=True)
class UnlockLink:
    partner: Partner
    url: str


def unlock_url(site_url: str, page: str, token: str) -> str:
    """`<site>/<page>#k=<token>`; the fragment never reaches the web server."""
    return f"{site_url.rstrip('/')}/{page.lstrip('/')}#k={token}"


def unlock_links(
    registry: Registry,
    secret: bytes,
    site_url: str,
    on: date,
    partner_id: str | None = None,
    page: str = "",
) -> list[UnlockLink]:
    """The unlock link of every partner in good standing on `on` (or of the one asked for)."""
    partners = registry.in_good_standing(on)
    if partner_id is not None:
        wanted = registry.partner(partner_id)
        if wanted is None:
            known = ", ".join(p.id for p in registry.partners) or "none"
            raise ConfigError(
                f"no partner {partner_id} in {registry.path} — partners there: {known}",
                "--partner",
            )
        if wanted not in partners:
            raise ConfigError(
                f"{wanted.name} ({wanted.id}) is not in good standing on {on}"
                f" (status {wanted.status}, {wanted.since or '…'}–{wanted.until or '…'}):"
                " its key opens nothing built now",
                "--partner",
            )
        partners = [wanted]
    return [
        UnlockLink(p, unlock_url(site_url, page, unlock_token(secret, p.id, p.key_version)))
        for p in partners
    ]
