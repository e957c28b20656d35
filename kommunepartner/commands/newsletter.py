"""`newsletter render`: one edition of an issue written out as HTML, text and a sample .eml."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path

from kommunepartner.access.crypto import load_secret
from kommunepartner.base.errors import InputError, Problem
from kommunepartner.base.schema import did_you_mean
from kommunepartner.build.build import prepare
from kommunepartner.build.settings import Options
from kommunepartner.content.items import Item, Site
from kommunepartner.content.registry import Registry
from kommunepartner.mail.edition import lang_for_partner, render_issue
from kommunepartner.mail.message import sender_domain
from kommunepartner.mail.recipient import Recipient

log = logging.getLogger(__name__)

SAMPLE_NAME = "Kari Nordmann"  # a sample person: previews carry no real contact's data
SAMPLE_EMAIL = "kari.nordmann@example.org"


@dataclass(frozen=True)
class Preview:
    """What `newsletter render` wrote, and for whom."""

    html: Path
    text: Path
    eml: Path
    recipient: Recipient
    html_bytes: int
    subject: str


def issue_by_slug(site: Site, slug: str) -> Item:
    """The newsletter issue with this slug, or an InputError that lists the issues there are."""
    issues = [i for i in site.section("newsletters") if i.slug == slug]
    if not issues:
        slugs = sorted({i.slug for i in site.section("newsletters")})
        raise InputError(
            Problem(
                "SLUG",
                message=f"no newsletter issue '{slug}'{did_you_mean(slug, slugs)}"
                f" — the issues are: {', '.join(slugs) or 'none yet (./tasks.py new newsletter TITLE)'}",
            )
        )
    return next((i for i in issues if not i.meta.get("translation_of")), issues[0])


def sample_recipient(
    registry: Registry, issue: Item, edition: str, lang: str | None, when
) -> Recipient:
    """A made-up reader; the partner edition samples the first partner in good standing."""
    if edition == "public":
        return Recipient(SAMPLE_EMAIL, SAMPLE_NAME, "public", lang or issue.lang)
    partners = registry.in_good_standing(when.date())
    if not partners:
        raise InputError(
            Problem(
                registry.path,
                message=f"has no partner in good standing on {when.date()}, so no one gets the"
                " partner edition — use --now, or --edition public",
            )
        )
    partner = partners[0]
    return Recipient(
        SAMPLE_EMAIL,
        SAMPLE_NAME,
        "partner",
        lang or lang_for_partner(partner, issue),
        partner.id,
        partner.name,
        "kontaktperson",
    )


def render_preview(
    options: Options, slug: str, edition: str, lang: str | None, out: Path
) -> Preview:
    """Render an issue and write email.html, email.txt and email.eml for a sample recipient."""
    _settings, ctx = prepare(options)
    issue = issue_by_slug(ctx.site, slug)
    rendered = render_issue(issue, ctx.site, ctx.registry, ctx.config, load_secret(ctx.config))
    recipient = sample_recipient(ctx.registry, issue, edition, lang, ctx.config.now)
    domain = sender_domain(ctx.config.sender)
    msg = rendered.message_for(
        recipient, message_id=make_msgid("preview", domain=domain), date=ctx.config.now
    )
    html, text = rendered.html_for(recipient), rendered.text_for(recipient)
    out.mkdir(parents=True, exist_ok=True)
    paths = out / "email.html", out / "email.txt", out / "email.eml"
    paths[0].write_text(html, encoding="utf-8")
    paths[1].write_text(text, encoding="utf-8")
    paths[2].write_bytes(bytes(msg))
    log.info("wrote %s", out)
    return Preview(*paths, recipient, len(html.encode()), str(msg["Subject"]))
