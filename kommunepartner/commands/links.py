"""`partners links`: each partner's unlock link, from the settings' site URL and secret."""

from __future__ import annotations

from datetime import date

from kommunepartner.access.crypto import load_secret
from kommunepartner.access.unlocklinks import UnlockLink, unlock_links
from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import shown_path
from kommunepartner.build.settings import Options, load_settings
from kommunepartner.content.registry import load_registry


def partner_links(
    options: Options, on: date, partner_id: str | None = None, page: str = ""
) -> list[UnlockLink]:
    """Read settings, secret and registry once; production settings without a secret: exit 2."""
    config = config_from_settings(load_settings(options))
    secret = load_secret(config)
    registry = load_registry(config.partners_file, shown_path(config.partners_file))
    return unlock_links(registry, secret, config.absolute_site_url, on, partner_id, page)
