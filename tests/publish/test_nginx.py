"""Debian's nginx with the block `hosting nginx` prints, serving a published folder: the headers,
the 404 page, brotli and gzip by Accept-Encoding, and a Safe Links key opened in Chromium."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import brotli
import pytest
from playwright.sync_api import Page, expect

from kommunepartner.access.crypto import unlock_token
from tests.conftest import ARTIFACTS, TEST_SECRET

pytestmark = pytest.mark.browser
BRIEF = "/notat/partners-only-brief/"


@pytest.fixture(scope="module")
def base(published, nginx_for) -> str:
    _site, www = published
    return nginx_for(www)


def get(base: str, path: str, encoding: str | None = None) -> tuple[int, dict, bytes]:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def shown(status: int, headers: dict) -> str:
    return "\n".join([f"HTTP {status}", *(f"{k}: {v}" for k, v in sorted(headers.items()))])


def test_every_response_carries_the_security_headers_and_pages_cache_briefly(base, published):
    status, headers, _ = get(base, "/")
    assert status == 200
    csp = headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert headers["referrer-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"] == "max-age=31536000"  # the site is https
    assert headers["cache-control"] == "public, max-age=300"
    missing_status, missing, body = get(base, "/finst/ikkje/")
    assert missing_status == 404 and "content-security-policy" in missing
    assert body == (published[1] / "404.html").read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "nginx-headers.txt").write_text(
        f"GET /\n{shown(status, headers)}\n\nGET /finst/ikkje/\n{shown(missing_status, missing)}\n"
    )


def test_hashed_theme_files_are_cached_forever_and_feeds_for_an_hour(base, published):
    www = published[1]
    css = next((www / "theme" / "css").glob("site.*.css")).relative_to(www)
    status, headers, _ = get(base, f"/{css}")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert get(base, "/atom.xml")[1]["cache-control"] == "public, max-age=3600"
    assert get(base, "/calendar.ics")[1]["content-type"].startswith("text/calendar")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("br", "br"), (None, None)],
)
def test_the_precompressed_copy_the_browser_accepts_is_sent(base, published, accept, expected):
    plain = (published[1] / "index.html").read_bytes()
    status, headers, body = get(base, "/", accept)
    assert status == 200 and headers.get("content-encoding") == expected
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[expected](body)
    assert decoded == plain
    if expected:
        assert "Accept-Encoding" in headers.get("vary", "")


def test_a_safe_links_address_unlocks_through_nginx(page: Page, base):
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console", lambda m: m.type == "error" and "404" not in m.text and problems.append(m.text)
    )
    bergen = unlock_token(TEST_SECRET.encode(), "4601", 1)
    page.goto(f"{base}{BRIEF}%23k={bergen}")
    page.wait_for_url(base + BRIEF)
    expect(page.locator("#kp-body")).to_contain_text("PRIVATESENTINELBRIEFBODY")
    assert problems == []
