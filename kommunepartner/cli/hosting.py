"""`hosting`: host configuration made from the settings (nginx, Caddy, a _headers file)."""

from __future__ import annotations

from pathlib import Path

import click

from kommunepartner.build.settings import ROOT, Options
from kommunepartner.cli.options import PATH

SETTINGS = click.option(
    "--settings",
    type=PATH,
    default=ROOT / "publishconf.py",
    show_default="publishconf.py",
    help="Settings whose SITEURL and KP_SERVICE_URL the host serves.",
)
UPSTREAM = click.option(
    "--service-upstream",
    default="127.0.0.1:8001",
    show_default=True,
    help="Where the service listens, when KP_SERVICE_URL is a path of the site.",
)


def _host(settings: Path, upstream: str = "127.0.0.1:8001"):
    from kommunepartner.base.config import config_from_settings
    from kommunepartner.build.settings import load_settings
    from kommunepartner.publish.hosting import host_from

    return host_from(
        config_from_settings(load_settings(Options(settings=settings))), settings, upstream
    )


@click.group()
def hosting():
    """Print host configuration made from the settings: headers, caching, 404, precompression.

    \b
    Example:
      ./tasks.py hosting nginx --root /var/www/kommunepartner > /etc/nginx/sites-available/kommunepartner
      ./tasks.py hosting caddy --root /var/www/kommunepartner > /etc/caddy/Caddyfile
      ./tasks.py hosting headers > public/_headers
    """


@hosting.command("nginx")
@click.option("--root", type=PATH, required=True, help="The folder publish fills on the host.")
@click.option(
    "--listen", metavar="ADDR:PORT", help="Listen here, plain HTTP (behind a proxy, tests)."
)
@click.option(
    "--brotli/--no-brotli",
    default=True,
    show_default=True,
    help="brotli_static (needs the module).",
)
@SETTINGS
@UPSTREAM
def hosting_nginx(root, listen, brotli, settings, service_upstream):
    """An nginx server block (and the http → https redirect for an https site).

    \b
    Example:
      ./tasks.py hosting nginx --root /var/www/kommunepartner > /etc/nginx/sites-available/kommunepartner
      ./tasks.py hosting nginx --root "$PWD/public" --listen 127.0.0.1:8080
    """
    from kommunepartner.publish.hosting import nginx

    click.echo(nginx(_host(settings, service_upstream), root.absolute(), listen, brotli), nl=False)


@hosting.command("caddy")
@click.option("--root", type=PATH, default=Path("/var/www/kommunepartner"), show_default=True)
@click.option("--listen", metavar="ADDRESS", help="Site address instead of the host name.")
@SETTINGS
@UPSTREAM
def hosting_caddy(root, listen, settings, service_upstream):
    """A Caddyfile site block (Caddy gets the certificate itself).

    \b
    Example:
      ./tasks.py hosting caddy --root /var/www/kommunepartner > /etc/caddy/Caddyfile
    """
    from kommunepartner.publish.hosting import caddy

    click.echo(caddy(_host(settings, service_upstream), root.absolute(), listen), nl=False)


@hosting.command("headers")
@SETTINGS
def hosting_headers(settings):
    """A _headers file for hosts that read one (Netlify, Cloudflare Pages).

    \b
    Example:
      ./tasks.py hosting headers > public/_headers
    """
    from kommunepartner.publish.hosting import headers_file

    click.echo(headers_file(_host(settings)), nl=False)
