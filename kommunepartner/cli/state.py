"""`state`: back up the state folder, and purge what the privacy page says is deleted."""

from __future__ import annotations

from datetime import datetime

import click

from kommunepartner.base.errors import shown_path
from kommunepartner.base.schema import OSLO
from kommunepartner.build.settings import Options
from kommunepartner.cli.options import PATH, state_options


@click.group()
def state():
    """The state folder: online backup, and the purge of old send-log rows.

    \b
    Example:
      ./tasks.py state backup /var/backups/kommunepartner/$(date +%F)
      ./tasks.py state purge --months 12
    """


@state.command("backup")
@click.argument("into", type=PATH)
@state_options
def state_backup(into, settings, state):
    """Copy the state folder into a new folder; databases with SQLite's online backup.

    \b
    Example:
      ./tasks.py state backup /var/backups/kommunepartner/$(date +%F)
    """
    from kommunepartner.commands.statefiles import backup

    done = backup(Options(settings=settings, state=state), into)
    click.echo(
        f"Backed up {len(done.databases)} databases ({', '.join(done.databases) or 'none'}) and"
        f" {len(done.files)} other files into {shown_path(done.folder)}"
    )


@state.command("purge")
@click.option("--months", type=click.IntRange(1), default=12, show_default=True)
@state_options
def state_purge(months, settings, state):
    """Delete send-log rows finished more than MONTHS months ago (the privacy page's promise).

    \b
    Example:
      ./tasks.py state purge --months 12
    """
    from kommunepartner.commands.statefiles import purge_ledger

    n = purge_ledger(Options(settings=settings, state=state), months, datetime.now(OSLO))
    click.echo(f"Deleted {n} send-log rows finished more than {months} months ago")
