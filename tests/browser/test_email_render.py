"""Both editions of a newsletter email in real Chromium: phone and desktop widths, axe-core."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from kommunepartner.base.config import config_from_settings
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import load_content
from kommunepartner.content.registry import load_registry
from kommunepartner.mail.edition import render_issue
from kommunepartner.mail.recipient import Recipient

ROOT = Path(__file__).resolve().parents[2]

FIXTURE = ROOT / "tests" / "fixtures" / "newsletter_site"
ARTIFACTS = ROOT / "test-artifacts"
SECRET = b"test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
TITLE = "Perspektiv 7: Havvind, nett og nye partnarar"


@pytest.fixture(scope="module")
def emails() -> dict[str, str]:
    """The personalised HTML of each edition (nynorsk), rendered from the fixture site."""
    config = config_from_settings(
        {
            "KP_PROJECT_ROOT": str(FIXTURE),
            "PATH": str(FIXTURE / "content"),
            "SITEURL": "https://kommunepartnar.example.org",
        },
        now=datetime(2026, 11, 30, 12, tzinfo=OSLO),
    )
    site = load_content(FIXTURE / "content", FIXTURE, "nn")
    registry = load_registry(FIXTURE / "partners.yaml", "partners.yaml")
    issue = next(i for i in site.items if i.slug == "perspektiv-7")
    rendered = render_issue(issue, site, registry, config, SECRET)
    return {
        "partner": rendered.html_for(
            Recipient("kari@example.org", "Kari Nordmann", "partner", "nn", "4621", "Voss")
        ),
        "public": rendered.html_for(Recipient("lesar@example.org", "", "public", "nn")),
    }


def show(page: Page, html: str, width: int) -> None:
    """Load the email like a mail client would: no network (remote images simply fail)."""
    page.route("**/*", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(html, wait_until="domcontentloaded")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 640])
@pytest.mark.parametrize("edition", ["partner", "public"])
def test_email_fits_the_screen_and_shows_its_title(page: Page, emails, edition, width):
    show(page, emails[edition], width)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{edition} at {width}px scrolls sideways by {overflow}px"
    title = page.locator("h1")
    expect(title).to_have_text(TITLE)
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"email-{edition}-{width}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["partner", "public"])
def test_email_has_no_serious_accessibility_violations(page: Page, emails, edition):
    show(page, emails[edition], 375)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
