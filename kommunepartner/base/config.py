"""Settings read once into a frozen dataclass; nothing else indexes settings[...]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kommunepartner.base.schema import OSLO


@dataclass(frozen=True)
class Config:
    """What the core needs from the Pelican settings (KP_* and a few standard ones)."""

    project_root: Path
    content_dir: Path
    partners_file: Path
    state_dir: Path
    site_name: str
    site_url: str
    default_lang: str
    now: datetime
    secret_file: Path | None
    require_secret: bool
    subscribers_file: Path
    suppression_file: Path
    sender: str
    reply_to: str
    postal_address: str
    unsubscribe_mailto: str
    unsubscribe_url: str
    become_partner_path: str
    dkim_key_file: Path | None
    dkim_selector: str
    dkim_domain: str
    section_paths: tuple[tuple[str, str], ...] = (
        ("briefs", "notat"),
        ("newsletters", "perspektiv"),
        ("events", "arrangement"),
    )  # KP_SECTIONS: the URL name of each section
    service_url: str = ""  # KP_SERVICE_URL: the small web service the site's forms post to
    production: bool = False  # KP_PRODUCTION: real readers; development sends only to loopback

    @property
    def absolute_site_url(self) -> str:
        return self.site_url.rstrip("/")

    def item_path(self, section: str, slug: str) -> str:
        """An item's site path as pelicanconf names it: 'notat/x/', or 'x/' for a page."""
        paths = dict(self.section_paths)
        return f"{slug}/" if section == "pages" else f"{paths[section]}/{slug}/"


def _path(base: Path, value: object) -> Path:
    p = Path(str(value))
    return p if p.is_absolute() else base / p


def config_from_settings(settings: Mapping, now: datetime | None = None) -> Config:
    """Build the Config from a Pelican settings mapping; paths are relative to the project root."""
    root = Path(settings.get("KP_PROJECT_ROOT") or Path.cwd())
    state = _path(root, settings.get("KP_STATE_DIR", "state"))
    secret = settings.get("KP_SECRET_FILE")
    dkim = settings.get("KP_DKIM_KEY_FILE")
    when = now or settings.get("KP_NOW") or datetime.now(OSLO)
    return Config(
        project_root=root,
        content_dir=_path(root, settings.get("PATH", "content")),
        partners_file=_path(root, settings.get("KP_PARTNERS_FILE", "partners.yaml")),
        state_dir=state,
        site_name=settings.get("SITENAME", "Kommunepartner"),
        site_url=settings.get("SITEURL", "") or "",
        default_lang=settings.get("DEFAULT_LANG", "nn"),
        now=when,
        section_paths=tuple(settings.get("KP_SECTIONS", dict(Config.section_paths)).items()),
        secret_file=_path(root, secret) if secret else None,
        require_secret=bool(settings.get("KP_REQUIRE_SECRET", False)),
        subscribers_file=_path(
            root, settings.get("KP_SUBSCRIBERS_FILE", state / "subscribers.csv")
        ),
        suppression_file=_path(
            root, settings.get("KP_SUPPRESSION_FILE", state / "suppression.csv")
        ),
        sender=settings.get("KP_SENDER", "Perspektiv <perspektiv@example.org>"),
        reply_to=settings.get("KP_REPLY_TO", "post@example.org"),
        postal_address=settings.get("KP_POSTAL_ADDRESS", "Initiativ Vest, Postboks 1, 5020 Bergen"),
        unsubscribe_mailto=settings.get("KP_UNSUBSCRIBE_MAILTO", "avmelding@example.org"),
        unsubscribe_url=settings.get("KP_UNSUBSCRIBE_URL", "") or "",
        become_partner_path=settings.get("KP_BECOME_PARTNER_PATH", "bli-partnar/"),
        dkim_key_file=_path(root, dkim) if dkim else None,
        dkim_selector=settings.get("KP_DKIM_SELECTOR", "kp"),
        dkim_domain=settings.get("KP_DKIM_DOMAIN", ""),
        service_url=settings.get("KP_SERVICE_URL", "") or "",
        production=bool(settings.get("KP_PRODUCTION", False)),
    )
