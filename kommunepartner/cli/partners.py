"""The partner registry's commands: list, check, links."""

from __future__ import annotations

from datetime import datetime

import click

from kommunepartner.base.errors import shown_path
from kommunepartner.base.schema import OSLO
from kommunepartner.build.settings import Options
from kommunepartner.cli.options import PATH, common, options
from kommunepartner.content import registry as reg


@click.group()
def partners():
    """The partner registry (partners.yaml): list, check, unlock links, report.

    \b
    Example:
      ./tasks.py partners check
      ./tasks.py partners list --on 2026-06-01
    """


@partners.command("list")
@common
@click.option("--on", "on", help="Good standing on this date (default: today).")
def partners_list(settings, content, partners, on):
    """List every partner with status, period, fee and målform.

    \b
    Example:
      ./tasks.py partners list --on 2026-06-01
    """
    from kommunepartner.build.settings import parse_now

    registry = _registry(settings, partners)
    day = parse_now(on, "--on").date() if on else datetime.now(OSLO).date()
    rows = [
        ("id", "name", "fylke", "status", "period", f"ok {day}", "fee NOK", "målform", "contacts")
    ]
    for p in registry.partners:
        period = f"{p.since or '…'}–{p.until or '…'}" if p.since or p.until else "-"
        rows.append(
            (
                p.id,
                p.name,
                p.org.fylke,
                p.status,
                period,
                "yes" if p.in_good_standing(day) else "no",
                f"{registry.fee_for(p.org.population):,}".replace(",", " "),
                p.malform,
                str(len(p.contacts)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(
        f"{len(registry.in_good_standing(day))} of {len(registry.partners)} in good standing on {day}"
    )


@partners.command("check")
@common
@click.option("--on", "on", help="Check as on this date (default: today).")
def partners_check(settings, content, partners, on):
    """Validate partners.yaml only; every problem as FILE:LINE:COL: FIELD: what is wrong.

    Warns about agreements of partners in good standing that end within 60 days.

    \b
    Example:
      ./tasks.py partners check --partners partners.yaml
    """
    from kommunepartner.build.settings import parse_now
    from kommunepartner.content.agreements import (
        WARN_DAYS,
        ending_within,
        stale_contact_lines,
        stale_contacts,
        warning_lines,
    )

    registry = _registry(settings, partners)
    day = parse_now(on, "--on").date() if on else datetime.now(OSLO).date()
    click.echo(
        f"OK: {len(registry.partners)} partners, {len(registry.fee_tiers)} fee tiers in {registry.path}"
    )
    endings = ending_within(registry, day)
    for line in warning_lines(endings):
        click.echo(line, err=True)
    if endings:
        click.echo(f"{len(endings)} agreements end within {WARN_DAYS} days of {day}", err=True)
    for line in stale_contact_lines(stale_contacts(registry, day)):
        click.echo(line, err=True)


@partners.command("links")
@common
@click.option("--partner", "partner_id", help="Only this partner's link (its kommunenummer).")
@click.option("--page", default="", help="The page the link opens, e.g. notat/havvind/.")
@click.option("--on", "on", help="Good standing on this date (default: today).")
@click.option("--send", is_flag=True, help="Mail each contact its link (dry run without --smtp).")
@click.option("--smtp", metavar="URL", help="With --send: smtp+starttls://user@host:587, smtps://…")
@click.option("--state", type=PATH, help="State folder (ledger, suppression list).")
@click.option("--out", type=PATH, help="With --send and no --smtp: where the .eml files go.")
@click.option("--yes", is_flag=True, help="With --send --smtp: send without asking.")
def partners_links(settings, content, partners, partner_id, page, on, send, smtp, state, out, yes):
    """Print the unlock link of each partner in good standing (send each only to its partner).

    With --send, every contact of every partner in good standing gets its partner's link by
    email, in nynorsk or bokmål by the municipality's målform, through the ledger: a link
    delivered once is not sent again; a new link (new secret or key_version) is.

    \b
    Example:
      ./tasks.py partners links --partner 4601
      KOMMUNEPARTNER_SECRET=... ./tasks.py partners links --settings publishconf.py
      ./tasks.py partners links --send --settings publishconf.py \\
          --smtp smtp+starttls://perspektiv@smtp.example.org:587
    """
    from kommunepartner.build.settings import parse_now
    from kommunepartner.commands.links import partner_links

    day = parse_now(on).date() if on else datetime.now(OSLO).date()
    if send:
        _send_links(options(settings, content, partners, state=state), day, smtp, out, yes)
        return
    links = partner_links(options(settings, content, partners), day, partner_id, page)
    for link in links:
        click.echo(
            link.url if partner_id else f"{link.partner.id}  {link.partner.name}  {link.url}"
        )
    click.echo(f"{len(links)} unlock links for partners in good standing on {day}", err=True)


def _send_links(opts, day, smtp, out, yes) -> None:
    import os

    from kommunepartner.cli.newsletter import _confirm, with_progress
    from kommunepartner.commands import linkmail
    from kommunepartner.mail.mailer import PASSWORD_ENV, Transport, parse_smtp_url
    from kommunepartner.mail.sendpolicy import check_destination

    plan = linkmail.plan_links(opts, day)
    if not smtp:
        folder = out or plan.config.project_root / "outbox" / "partner-links"
        for line in linkmail.plan_lines(plan):
            click.echo(line)
        n = linkmail.write_outbox(plan, folder)
        click.echo(f"Dry run: wrote {n} .eml files into {shown_path(folder)}")
        return
    password = os.environ.get(PASSWORD_ENV)
    check_destination(plan.config, parse_smtp_url(smtp), test=False)
    Transport(parse_smtp_url(smtp), password)  # a missing password is said before asking
    _confirm(linkmail.plan_lines(plan), yes)
    with_progress(
        "Sending links", lambda bar: linkmail.send_links(plan, smtp, password, progress=bar)
    )


def _registry(settings, partners) -> reg.Registry:
    from kommunepartner.base.config import config_from_settings
    from kommunepartner.build.settings import load_settings

    config = config_from_settings(load_settings(Options(settings=settings, partners=partners)))
    return reg.load_registry(config.partners_file, shown_path(config.partners_file))
