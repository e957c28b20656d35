"""Host configuration made from the settings: an nginx `server` block, a Caddyfile, a `_headers`
file. Each sends the pages' security policy as HTTP headers (kommunepartner/access/policy.py),
caches content-hashed files forever and pages briefly, serves the precompressed copies that
`publish` writes by Accept-Encoding, and answers a missing path with 404.html and status 404,
which is what lets the page script turn a Safe Links address (`/x/%23k=…`) into a stored key.

To serve another program under the site (the service at KP_SERVICE_URL, or anything else), add a
`Proxy` to `proxies()`: every generator turns each into its own location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kommunepartner.access.policy import origin, security_headers
from kommunepartner.base.config import Config

FOREVER = "public, max-age=31536000, immutable"
PAGES = "public, max-age=300"  # a revoked partner's pages are replaced within minutes
OTHER = "public, max-age=3600"
# Folders whose files are named by a hash of their bytes: ours (theme/) and Pagefind's.
HASHED = ("/theme/", "/pagefind/fragment/", "/pagefind/index/")
EXTRA_TYPES = (
    ("ics", "text/calendar; charset=utf-8"),
    ("webmanifest", "application/manifest+json"),
)


@dataclass(frozen=True)
class Proxy:
    """A path of the site answered by another program: `path` ('/teneste/') → `upstream`."""

    path: str
    upstream: str  # host:port


@dataclass(frozen=True)
class Host:
    """What every generator needs: the name, the scheme, the headers, the proxied paths."""

    name: str
    https: bool
    headers: tuple[tuple[str, str], ...]
    proxies: tuple[Proxy, ...]
    source: str  # the settings file, named in the generated text


def proxies(config: Config, service_upstream: str) -> tuple[Proxy, ...]:
    """The service, when KP_SERVICE_URL is a path of the site's own address."""
    service = urlsplit(config.service_url)
    path = service.path if service.path.endswith("/") else service.path + "/"
    if origin(config.service_url) == origin(config.site_url) and path != "/":
        return (Proxy(path, service_upstream),)
    return ()


def host_from(
    config: Config, settings_file: Path, service_upstream: str = "127.0.0.1:8001"
) -> Host:
    site = urlsplit(config.site_url)
    return Host(
        site.hostname or "localhost",
        site.scheme == "https",
        tuple(security_headers(config)),
        proxies(config, service_upstream),
        settings_file.name,
    )


def _banner(host: Host, command: str) -> list[str]:
    return [
        f"# Kommunepartner: made by `./tasks.py hosting {command}` from {host.source}.",
        "# Do not edit: change the settings and run the command again.",
    ]


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx(host: Host, root: Path, listen: str | None = None, brotli: bool = True) -> str:
    """A complete nginx `server` block (plus the http → https redirect for an https site)."""

    def headers(cache: str, pad: str = "        ") -> list[str]:
        # add_header in a location replaces the server's: every location repeats them all.
        lines = [f"{pad}add_header {n} {_quoted(v)} always;" for n, v in host.headers]
        return [*lines, f"{pad}add_header Cache-Control {_quoted(cache)} always;"]

    out = _banner(host, "nginx")
    if brotli:
        out.append(
            "# brotli_static needs Debian's libnginx-mod-http-brotli-static (--no-brotli: without)."
        )
    if host.https and listen is None:
        out += [
            "server {",
            "    listen 80;",
            "    listen [::]:80;",
            f"    server_name {host.name};",
            "    return 301 https://$host$request_uri;",
            "}",
            "",
        ]
    out += ["server {"]
    if listen:
        out.append(f"    listen {listen};")
    elif host.https:
        out += ["    listen 443 ssl http2;", "    listen [::]:443 ssl http2;"]
        out += [
            f"    ssl_certificate /etc/letsencrypt/live/{host.name}/fullchain.pem;",
            f"    ssl_certificate_key /etc/letsencrypt/live/{host.name}/privkey.pem;",
        ]
    else:
        out += ["    listen 80;", "    listen [::]:80;"]
    out += [
        f"    server_name {host.name};",
        f"    root {root};",
        "    index index.html;",
        "    charset utf-8;",
        "    server_tokens off;",
        "    absolute_redirect off;  # redirects keep the address the reader used",
        "",
        "    # The copies `publish` wrote beside each file, chosen by Accept-Encoding.",
        "    gzip_static on;",
        "    gzip_vary on;",
        *(["    brotli_static on;"] if brotli else []),
        "",
        "    # Any missing path gets 404.html with status 404; the page script reads a Safe Links",
        "    # address (/notat/x/%23k=…) from it, stores the key and goes on to /notat/x/.",
        "    error_page 404 /404.html;",
        "    location = /404.html {",
        "        internal;",
        *headers(PAGES),
        "    }",
        "",
        "    location / {",
        "        try_files $uri $uri/ =404;",
        *headers(PAGES),
        "    }",
        "",
    ]
    # Regular expressions are tried in order: the types nginx does not know come first.
    for ext, mime in EXTRA_TYPES:
        out += [f"    location ~* \\.{ext}$ {{", f"        default_type {_quoted(mime)};"]
        out += ["        try_files $uri =404;", *headers(OTHER), "    }"]
    out += [
        '    location ~* "\\.(xml|txt|json|jpe?g|png|webp|gif|svg|pdf|pagefind|pf_meta)$" {',
        "        try_files $uri =404;",
        *headers(OTHER),
        "    }",
    ]
    for folder in HASHED:
        out += [f"    location ^~ {folder} {{", "        # named by the hash of their bytes"]
        out += ["        try_files $uri =404;", *headers(FOREVER), "    }"]
    for p in host.proxies:
        out += [
            f"    location ^~ {p.path} {{",
            f"        proxy_pass http://{p.upstream};",
            "        proxy_set_header Host $host;",
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "        proxy_set_header X-Forwarded-Proto $scheme;",
            "    }",
        ]
    out += ["}", ""]
    return "\n".join(out)


def caddy(host: Host, root: Path, listen: str | None = None) -> str:
    """A Caddyfile site block (Caddy gets and renews the certificate itself)."""
    address = listen or (host.name if host.https else f"http://{host.name}")
    forever = " ".join(f"{f}*" for f in HASHED)

    def header_block(pad: str) -> list[str]:
        lines = [f"{pad}header {{"]
        lines += [f"{pad}\t{n} {_quoted(v)}" for n, v in host.headers]
        return [*lines, f"{pad}\t-Server", f"{pad}}}"]

    out = [*_banner(host, "caddy"), f"{address} {{", f"\troot * {root}"]
    out += header_block("\t")
    out += [
        f"\t@forever path {forever}",
        f"\theader @forever Cache-Control {_quoted(FOREVER)}",
        "\t@pages {",
        f"\t\tnot path {forever}",
        "\t\tpath / */ *.html",
        "\t}",
        f"\theader @pages Cache-Control {_quoted(PAGES)}",
        "\t@other {",
        f"\t\tnot path {forever} / */ *.html",
        "\t}",
        f"\theader @other Cache-Control {_quoted(OTHER)}",
    ]
    for ext, mime in EXTRA_TYPES:
        out += [f"\t@{ext} path *.{ext}", f"\theader @{ext} Content-Type {_quoted(mime)}"]
    for p in host.proxies:
        out += [f"\thandle {p.path}* {{", f"\t\treverse_proxy {p.upstream}", "\t}"]
    out += [
        "\t# The copies `publish` wrote beside each file, chosen by Accept-Encoding.",
        "\tfile_server {",
        "\t\tprecompressed br gzip",
        "\t}",
        "\t# A missing path gets 404.html with status 404 (the page script reads Safe Links from it).",
        "\thandle_errors {",
        "\t\t@missing expression {err.status_code} == 404",
        "\t\thandle @missing {",
        *header_block("\t\t\t"),
        "\t\t\trewrite * /404.html",
        "\t\t\tfile_server {",
        "\t\t\t\tprecompressed br gzip",
        "\t\t\t}",
        "\t\t}",
        "\t}",
        "}",
        "",
    ]
    return "\n".join(out)


def headers_file(host: Host) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages): put it at the top of the published folder.

    Such hosts compress and serve 404.html themselves; Cache-Control is set only where it differs
    from their default (which revalidates every time), because they merge repeated headers.
    """
    out = [*_banner(host, "headers"), "/*"]
    out += [f"  {n}: {v}" for n, v in host.headers]
    for folder in HASHED:
        out += [f"{folder}*", f"  Cache-Control: {FOREVER}"]
    return "\n".join(out) + "\n"
