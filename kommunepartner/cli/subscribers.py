"""Public subscribers and the suppression list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from kommunepartner.base.errors import shown_path
from kommunepartner.base.schema import OSLO
from kommunepartner.build.settings import Options
from kommunepartner.cli.options import PATH, state_options


@click.group()
def subscribers():
    """Public subscribers and the suppression list (unsubscribed, bounced).

    \b
    Example:
      ./tasks.py subscribers unsubscribe ola@example.org
    """


def _suppression_file(settings, state) -> Path:
    from kommunepartner.base.config import config_from_settings
    from kommunepartner.build.settings import load_settings

    config = config_from_settings(load_settings(Options(settings=settings, state=state)))
    return config.suppression_file


@subscribers.command("unsubscribe")
@click.argument("address")
@state_options
def subscribers_unsubscribe(address, settings, state):
    """Add ADDRESS to the suppression list: it never gets mail again.

    \b
    Example:
      ./tasks.py subscribers unsubscribe kari.nordmann@example.org
    """
    from kommunepartner.mail.subscribers import unsubscribe

    path = _suppression_file(settings, state)
    added = unsubscribe(path, address, datetime.now(OSLO))
    click.echo(f"{address} {'added to' if added else 'was already on'} {shown_path(path)}")


@subscribers.command("import")
@click.argument("file", type=PATH)
@state_options
def subscribers_import(file, settings, state):
    """Add every address in FILE (one per line, or a CSV with an email column) to the
    suppression list, e.g. unsubscribes or bounces from another system.

    \b
    Example:
      ./tasks.py subscribers import bounces.csv
    """
    from kommunepartner.mail.subscribers import import_suppressions

    path = _suppression_file(settings, state)
    added, known = import_suppressions(path, file, datetime.now(OSLO))
    click.echo(f"{added} added to {shown_path(path)}; {known} were already there")
