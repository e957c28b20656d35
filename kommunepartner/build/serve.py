"""The preview server: serves the output on 127.0.0.1 with our 404 page, rebuilds on change."""

from __future__ import annotations

import functools
import http.server
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kommunepartner.build.settings import Options, load_settings

log = logging.getLogger(__name__)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files like a plain host: directories serve index.html, misses serve /404.html."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, fmt, *args):
        log.debug(fmt, *args)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def served_site_url(options: Options, port: int) -> dict:
    """Settings overrides for a preview on `port`: development settings whose SITEURL is on this
    machine get that port, so absolute addresses (canonical, feeds) name the running preview."""
    site_url = load_settings(options).get("SITEURL") or ""
    parts = urlsplit(site_url)
    if parts.hostname not in LOOPBACK or parts.port == port:
        return {}
    return {"SITEURL": urlunsplit(parts._replace(netloc=f"{parts.hostname}:{port}"))}


def make_server(
    directory: Path, port: int, host: str = "127.0.0.1"
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve_forever(
    directory: Path, port: int, watch: list[Path], rebuild: Callable[[], None]
) -> None:
    """Serve `directory` and call `rebuild` whenever a watched path changes, until Ctrl-C."""
    from watchfiles import watch as watch_changes

    server = make_server(directory, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _changes in watch_changes(*[p for p in watch if p.exists()], debounce=300):
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
