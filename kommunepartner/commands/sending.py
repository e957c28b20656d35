"""Sending one newsletter issue: plan, dry run into the outbox, or SMTP through the ledger."""

from __future__ import annotations

import logging
import mailbox
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kommunepartner.access.crypto import load_secret
from kommunepartner.base.config import Config, config_from_settings
from kommunepartner.base.errors import InputError, Problem
from kommunepartner.base.schema import OSLO, did_you_mean
from kommunepartner.build.build import prepare
from kommunepartner.build.settings import Options, load_settings
from kommunepartner.commands.newsletter import issue_by_slug
from kommunepartner.content.items import Item, Site, publishable
from kommunepartner.content.registry import Registry
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.audience import Plan, plan_recipients
from kommunepartner.mail.edition import TEST_PARTNER
from kommunepartner.mail.mailer import (
    DEFAULT_BACKOFF,
    Backoff,
    Mailer,
    Summary,
    Transport,
    parse_smtp_url,
)
from kommunepartner.mail.outgoing import (
    DkimSigner,
    envelope_sender,
    ledger_date,
    one_off_message_id,
    sender_domain,
    stable_message_id,
)
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.sendpolicy import check_destination
from kommunepartner.mail.subscribers import (
    Suppression,
    load_subscribers,
    load_suppression,
    suppress,
)

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """Everything a send needs, read and validated once."""

    config: Config
    registry: Registry
    site: Site
    issue: Item
    plan: Plan
    secret: bytes
    rendered: object  # kommunepartner.mail.edition.RenderedIssue
    signer: DkimSigner | None

    @property
    def slug(self) -> str:
        return self.issue.slug

    def message(
        self, recipient: Recipient, message_id: str, date: datetime, proof: bool = False
    ) -> bytes:
        """One recipient's message as sent: personalised, then DKIM-signed when configured.
        A `proof` is a test copy: [TEST] in the subject, a banner, the test partner's key."""
        build = self.rendered.proof_bytes if proof else self.rendered.bytes_for
        data = build(recipient, message_id=message_id, date=date)
        return self.signer.sign(data) if self.signer else data


def prepare_send(options: Options, slug: str) -> Prepared:
    """Validate registry and content, find the issue, plan its recipients, render it once."""
    from kommunepartner.mail.edition import render_issue  # the email feature's renderer

    _settings, ctx = prepare(options)
    config = ctx.config
    issue = issue_by_slug(ctx.site, slug)
    secret = load_secret(config)
    plan = plan_recipients(
        ctx.registry,
        load_subscribers(config.subscribers_file),
        load_suppression(config.suppression_file),
        newsletter=issue.meta["newsletter"],
        on=config.now.date(),
        issue_lang=issue.lang,
    )
    rendered = render_issue(issue, ctx.site, ctx.registry, config, secret)
    signer = None
    if config.dkim_key_file:
        domain = config.dkim_domain or sender_domain(config.sender)
        signer = DkimSigner(config.dkim_key_file, config.dkim_selector, domain)
    return Prepared(config, ctx.registry, ctx.site, issue, plan, secret, rendered, signer)


def proof_recipients(prepared: Prepared, address: str) -> list[Recipient]:
    """Test copies to one address: the partner edition, then the public one, each in every
    written standard its readers will get (the issue's when it has none). The partner edition
    carries the test partner's key, which opens nothing."""
    out = []
    for edition in ("partner", "public"):
        langs = {r.lang for r in prepared.plan.recipients if r.edition == edition}
        for lang in sorted(langs or {prepared.issue.lang}, key=("nn", "nb").index):
            partner = (TEST_PARTNER, "") if edition == "partner" else (None, "")
            out.append(Recipient(address, "Test", edition, lang, *partner, "test"))
    return out


def write_outbox(prepared: Prepared, out_dir: Path, only: list[Recipient] | None = None) -> int:
    """Dry run: one .eml per recipient and one mbox of them all; returns the message count."""
    recipients = only or list(prepared.plan.recipients)
    if out_dir.exists():
        for old in [*out_dir.glob("*.eml"), *out_dir.glob("*.mbox")]:
            old.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    box_path = out_dir / f"{prepared.slug}.mbox"
    box = mailbox.mbox(str(box_path), create=True)
    domain = sender_domain(prepared.config.sender)
    date = datetime.now(OSLO).replace(microsecond=0)
    box.lock()
    try:
        for n, r in enumerate(recipients, 1):
            mid = (
                one_off_message_id(domain)
                if only
                else stable_message_id(prepared.secret, prepared.slug, r.email, domain)
            )
            data = prepared.message(r, mid, date, proof=bool(only))
            name = f"{n:04d}-{r.edition}-{r.lang}-{_safe(r.email)}.eml"
            (out_dir / name).write_bytes(data)
            box.add(data)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return len(recipients)


def send_issue(
    prepared: Prepared,
    smtp: str,
    password: str | None,
    *,
    connections: int = 1,
    rate: float | None = None,
    only: list[Recipient] | None = None,
    progress: Callable[[int, int], None] | None = None,
    backoff: Backoff = DEFAULT_BACKOFF,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    context: ssl.SSLContext | None = None,
) -> Summary:
    """Send through SMTP with the issue's ledger; `only` sends test copies outside the ledger."""
    url = parse_smtp_url(smtp)
    config = prepared.config
    check_destination(config, url, test=only is not None)
    if only is None:
        _check_sendable(prepared)
    transport = Transport(url, password, context=context)
    domain = sender_domain(config.sender)
    lock = threading.Lock()

    def build(r: Recipient, d: lg.Delivery) -> bytes:
        date = ledger_date(d.first_attempt_at)
        return prepared.message(r, d.message_id, date, proof=only is not None)

    def bounced(d: lg.Delivery) -> None:
        when = datetime.now(OSLO).isoformat(timespec="seconds")
        with lock:
            suppress(
                config.suppression_file,
                [Suppression(d.email, "bounced", when, f"{prepared.slug}: {d.last_reply}")],
            )

    def mailer(ledger: lg.Ledger) -> Mailer:
        return Mailer(
            transport,
            ledger,
            envelope_sender(config.sender),
            connections=connections,
            rate=rate,
            backoff=backoff,
            clock=clock,
            sleep=sleep,
            on_failed=None if only else bounced,
            progress=progress,
        )

    if only is not None:  # test copies: a throw-away ledger, one run per edition
        total = Summary()
        for r in only:
            ledger = lg.Ledger(":memory:")
            ledger.plan("test", [(r.email, r.edition, r.lang, one_off_message_id(domain))], clock())
            s = mailer(ledger).run("test", {r.email.lower(): r}, build)
            ledger.close()
            total.total += s.total
            total.delivered += s.delivered
            total.not_delivered += s.not_delivered
            total.seconds += s.seconds
        return total
    ledger = lg.Ledger.in_state_dir(config.state_dir, site=config.absolute_site_url)
    try:
        recipients = {r.email.lower(): r for r in prepared.plan.recipients}
        entries = [
            (
                r.email,
                r.edition,
                r.lang,
                stable_message_id(prepared.secret, prepared.slug, r.email, domain),
            )
            for r in prepared.plan.recipients
        ]
        ledger.plan(prepared.slug, entries, clock())
        return mailer(ledger).run(prepared.slug, recipients, build)
    finally:
        ledger.close()


def preflight(prepared: Prepared, smtp: str, password: str | None, test: bool) -> None:
    """Everything that refuses a send, checked before anyone is asked to confirm it."""
    url = parse_smtp_url(smtp)
    check_destination(prepared.config, url, test)
    if not test:
        _check_sendable(prepared)
    Transport(url, password)  # a missing password is said now, not after the confirmation


def _check_sendable(prepared: Prepared) -> None:
    """A draft or a future-dated issue has no web version yet: it is not sent to everyone."""
    issue = prepared.issue
    if not publishable(issue, prepared.config.now):
        raise InputError(
            Problem(
                issue.path,
                1,
                1,
                "status" if issue.status == "draft" else "date",
                "the issue is a draft — set status: published before sending it"
                if issue.status == "draft"
                else f"the issue is dated {issue.date:%Y-%m-%d %H:%M}, after now — its web"
                " version is not published yet; send it on or after that date",
            )
        )


def _safe(email: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", email)[:80]


def issue_status(options: Options, slug: str) -> list[lg.Delivery]:
    """The ledger rows of one issue, in the order they were planned."""
    config = config_from_settings(load_settings(options))
    path = config.state_dir / lg.LEDGER_FILE
    if not path.is_file():
        raise InputError(
            Problem(
                str(path),
                message="there is no send ledger here yet — nothing has been sent with this"
                " state folder (pass --state DIR to look elsewhere)",
            )
        )
    ledger = lg.Ledger(path, site=config.absolute_site_url)
    try:
        rows = ledger.rows(slug)
        if not rows:
            known = ledger.issues()
            elsewhere = [s for s in ledger.sites(slug) if s != config.absolute_site_url]
            where = f" (sent for {', '.join(elsewhere)}: other settings)" if elsewhere else ""
            raise InputError(
                Problem(
                    str(path),
                    message=f"the ledger has no send of '{slug}' for {config.absolute_site_url}"
                    f"{where}{did_you_mean(slug, known)} — it has: {', '.join(known) or 'none'}",
                )
            )
        return rows
    finally:
        ledger.close()


def plan_lines(plan: Plan) -> list[str]:
    """The dry-run report: recipients per county, partner, edition and language."""
    counts = plan.counts()
    lines = [
        f"{len(plan)} recipients ({counts['edition'].get('partner', 0)} partner edition,"
        f" {counts['edition'].get('public', 0)} public edition);"
        f" {len(plan.suppressed)} suppressed, {plan.duplicates} duplicate addresses left out"
    ]
    titles = {"county": "county", "partner": "partner", "edition": "edition", "lang": "language"}
    for key, title in titles.items():
        lines.append(f"per {title}:")
        width = max((len(k) for k in counts[key]), default=0)
        for name, n in sorted(counts[key].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name.ljust(width)}  {n:>6}")
    if plan.dropped:
        lines.append("duplicates left out (the first listing is kept):")
        lines += [f"  {d}" for d in plan.dropped]
    return lines


def confirmation_lines(prepared: Prepared, smtp: str) -> list[str]:
    """What a real send asks before it starts: the plan per edition and language, and where."""
    counts: dict[tuple[str, str], int] = {}
    for r in prepared.plan.recipients:
        counts[(r.edition, r.lang)] = counts.get((r.edition, r.lang), 0) + 1
    config = prepared.config
    lines = [
        f"Send {prepared.slug} ({prepared.issue.title}) to {len(prepared.plan)} readers through"
        f" {parse_smtp_url(smtp)}, with the links of {config.absolute_site_url}:"
    ]
    lines += [f"  {edition} edition, {lang}: {n}" for (edition, lang), n in sorted(counts.items())]
    if prepared.plan.dropped:
        lines.append(f"  duplicates left out: {', '.join(prepared.plan.dropped)}")
    if prepared.plan.suppressed:
        lines.append(f"  suppressed (unsubscribed or bounced): {len(prepared.plan.suppressed)}")
    return lines


def summary_lines(summary: Summary) -> list[str]:
    """The end of a run: totals, then every address not delivered and why."""
    sent_now = summary.delivered - summary.already
    lines = [
        f"{summary.delivered} of {summary.total} delivered ({sent_now} in this run,"
        f" {summary.already} before) in {summary.seconds:.1f} s"
    ]
    if summary.not_delivered:
        lines.append(f"{len(summary.not_delivered)} not delivered:")
        for d in summary.not_delivered:
            lines.append(f"  {d.email}  {d.state} after {d.attempts} attempt(s): {d.last_reply}")
    return lines


def status_lines(rows: list[lg.Delivery]) -> list[str]:
    """`newsletter status`: counts per state, then every address not (yet) delivered."""
    counts = {state: sum(1 for d in rows if d.state == state) for state in lg.STATES}
    lines = [
        f"{rows[0].issue}: {len(rows)} recipients — "
        + ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    ]
    for d in rows:
        if d.state != lg.DELIVERED:
            when = f", next try {_clock(d.next_attempt_at)}" if d.state == lg.DEFERRED else ""
            lines.append(
                f"  {d.email}  {d.state}, {d.attempts} attempt(s){when}"
                f"{': ' + d.last_reply if d.last_reply else ''}"
            )
    return lines


def _clock(ts: float | None) -> str:
    return datetime.fromtimestamp(ts or 0, OSLO).strftime("%Y-%m-%d %H:%M") if ts else "-"
