"""The partner registry's commands: list, check, links."""

from __future__ import annotations

from datetime import datetime

import click

from kommunepartner.base.errors import shown_path
from kommunepartner.base.schema import OSLO
from kommunepartner.build.settings import Options
from kommunepartner.cli.options import common, options
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
def partners_check(settings, content, partners):
    """Validate partners.yaml only; every problem as FILE:LINE:COL: FIELD: what is wrong.

    \b
    Example:
      ./tasks.py partners check --partners partners.yaml
    """
    registry = _registry(settings, partners)
    click.echo(
        f"OK: {len(registry.partners)} partners, {len(registry.fee_tiers)} fee tiers in {registry.path}"
    )


@partners.command("links")
@common
@click.option("--partner", "partner_id", help="Only this partner's link (its kommunenummer).")
@click.option("--page", default="", help="The page the link opens, e.g. notat/havvind/.")
@click.option("--on", "on", help="Good standing on this date (default: today).")
def partners_links(settings, content, partners, partner_id, page, on):
    """Print the unlock link of each partner in good standing (send each only to its partner).

    \b
    Example:
      ./tasks.py partners links --partner 4601
      KOMMUNEPARTNER_SECRET=... ./tasks.py partners links --settings publishconf.py
    """
    from kommunepartner.build.settings import parse_now
    from kommunepartner.commands.links import partner_links

    day = parse_now(on).date() if on else datetime.now(OSLO).date()
    links = partner_links(options(settings, content, partners), day, partner_id, page)
    for link in links:
        click.echo(
            link.url if partner_id else f"{link.partner.id}  {link.partner.name}  {link.url}"
        )
    click.echo(f"{len(links)} unlock links for partners in good standing on {day}", err=True)


def _registry(settings, partners) -> reg.Registry:
    from kommunepartner.base.config import config_from_settings
    from kommunepartner.build.settings import load_settings

    config = config_from_settings(load_settings(Options(settings=settings, partners=partners)))
    return reg.load_registry(config.partners_file, shown_path(config.partners_file))
