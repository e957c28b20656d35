"""`partners links --send`: each contact of each partner in good standing gets the partner's
unlock link by email, through the newsletter's sender and ledger.

A link is recorded in the ledger under `links-<partner>-<fingerprint of the link>`: a link that
was delivered is never sent twice, and a new link (after the secret or the partner's
key_version changed) is a new entry, so the same command sends it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from kommunepartner.access.crypto import load_secret
from kommunepartner.access.unlocklinks import unlock_links
from kommunepartner.base.config import Config, config_from_settings
from kommunepartner.base.errors import shown_path
from kommunepartner.base.i18n import catalogue, lang_for_malform
from kommunepartner.build.settings import Options, load_settings
from kommunepartner.content.registry import Partner, load_registry
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.mailer import Mailer, Summary, Transport, parse_smtp_url
from kommunepartner.mail.message import SMTP_POLICY
from kommunepartner.mail.outgoing import (
    DkimSigner,
    envelope_sender,
    ledger_date,
    sender_domain,
    stable_message_id,
)
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.sendpolicy import check_destination
from kommunepartner.mail.subscribers import load_suppression

NEUTRAL_LANG = "nb"  # a kommune with målform "nøytral" (Bergen, Stavanger …) writes bokmål


@dataclass(frozen=True)
class PartnerLink:
    """One partner's link and who gets it."""

    partner: Partner
    url: str
    lang: str
    issue: str  # the ledger's key for this link
    recipients: tuple[Recipient, ...]


@dataclass
class LinkPlan:
    config: Config
    secret: bytes
    links: list[PartnerLink]
    suppressed: list[str] = field(default_factory=list)
    signer: DkimSigner | None = None

    def message(self, link: PartnerLink, r: Recipient, message_id: str, when) -> bytes:
        """The link email: plain text in the partner's written standard."""
        T = catalogue(link.lang)
        msg = EmailMessage(policy=SMTP_POLICY)
        msg["From"] = self.config.sender
        msg["To"] = f"{r.name} <{r.email}>" if r.name else r.email
        if self.config.reply_to:
            msg["Reply-To"] = self.config.reply_to
        msg["Subject"] = T["links_subject"].format(organisation=link.partner.name)
        msg["Date"] = when
        msg["Message-ID"] = message_id
        msg["Content-Language"] = link.lang
        msg.set_content(
            T["links_body"].format(
                name=r.name or link.partner.name,
                organisation=link.partner.name,
                url=link.url,
                publisher=T["email_publisher"],
            )
        )
        data = msg.as_bytes(policy=SMTP_POLICY)
        return self.signer.sign(data) if self.signer else data


def fingerprint(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def plan_links(options: Options, on: date) -> LinkPlan:
    """Every partner in good standing on `on`, its link and its contacts (minus the suppressed)."""
    config = config_from_settings(load_settings(options))
    secret = load_secret(config)
    registry = load_registry(config.partners_file, shown_path(config.partners_file))
    blocked = {a.lower() for a in load_suppression(config.suppression_file)}
    plan = LinkPlan(config, secret, [])
    for link in unlock_links(registry, secret, config.absolute_site_url, on):
        p = link.partner
        lang = lang_for_malform(p.malform, NEUTRAL_LANG)
        chosen = []
        for c in p.contacts:
            if c.email.lower() in blocked:
                plan.suppressed.append(c.email)
                continue
            chosen.append(Recipient(c.email, c.name, "partner", lang, p.id, p.name, c.role))
        issue = f"links-{p.id}-{fingerprint(link.url)}"
        plan.links.append(PartnerLink(p, link.url, lang, issue, tuple(chosen)))
    if config.dkim_key_file:
        domain = config.dkim_domain or sender_domain(config.sender)
        plan.signer = DkimSigner(config.dkim_key_file, config.dkim_selector, domain)
    return plan


def _ledger(plan: LinkPlan) -> lg.Ledger:
    return lg.Ledger.in_state_dir(plan.config.state_dir, site=plan.config.absolute_site_url)


def already_sent(plan: LinkPlan) -> int:
    """How many of the planned messages the ledger has delivered already."""
    path = plan.config.state_dir / lg.LEDGER_FILE
    if not path.is_file():
        return 0
    ledger = _ledger(plan)
    try:
        return sum(ledger.counts(link.issue).get(lg.DELIVERED, 0) for link in plan.links)
    finally:
        ledger.close()


def plan_lines(plan: LinkPlan) -> list[str]:
    n = sum(len(link.recipients) for link in plan.links)
    sent = already_sent(plan)
    lines = [
        f"Unlock links of {len(plan.links)} partners in good standing to {n} contacts"
        f" ({sent} of these links sent before and skipped), for {plan.config.absolute_site_url}:"
    ]
    for link in plan.links:
        lines.append(
            f"  {link.partner.id} {link.partner.name} ({link.lang}): {len(link.recipients)}"
        )
    if plan.suppressed:
        lines.append(f"  left out (on the suppression list): {', '.join(plan.suppressed)}")
    return lines


def write_outbox(plan: LinkPlan, folder: Path) -> int:
    """Dry run: one .eml per message into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    domain = sender_domain(plan.config.sender)
    n = 0
    for link in plan.links:
        for r in link.recipients:
            n += 1
            mid = stable_message_id(plan.secret, link.issue, r.email, domain)
            data = plan.message(link, r, mid, ledger_date(time.time()))
            (folder / f"{n:04d}-{link.partner.id}-{link.lang}.eml").write_bytes(data)
    return n


def send_links(
    plan: LinkPlan,
    smtp: str,
    password: str | None,
    *,
    rate: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    context=None,
) -> Summary:
    """Send every link not yet delivered; one ledger entry per partner and link."""
    url = parse_smtp_url(smtp)
    check_destination(plan.config, url, test=False)
    transport = Transport(url, password, context=context)
    domain = sender_domain(plan.config.sender)
    total = Summary()
    ledger = _ledger(plan)
    try:
        for link in plan.links:
            if not link.recipients:
                continue
            entries = [
                (
                    r.email,
                    r.edition,
                    r.lang,
                    stable_message_id(plan.secret, link.issue, r.email, domain),
                )
                for r in link.recipients
            ]
            ledger.plan(link.issue, entries, time.time())

            def build(r: Recipient, d: lg.Delivery, link: PartnerLink = link) -> bytes:
                return plan.message(link, r, d.message_id, ledger_date(d.first_attempt_at))

            mailer = Mailer(
                transport, ledger, envelope_sender(plan.config.sender), rate=rate, progress=progress
            )
            s = mailer.run(link.issue, {r.email.lower(): r for r in link.recipients}, build)
            total.total += s.total
            total.delivered += s.delivered
            total.already += s.already
            total.not_delivered += s.not_delivered
            total.seconds += s.seconds
    finally:
        ledger.close()
    return total
