"""A development build works wherever it is served: on any port and under a path prefix, its
pages load their styles and scripts and a partner link opens partners-only text."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, expect

from kommunepartner.access.crypto import unlock_token
from tests.conftest import FIXTURES, TEST_SECRET, build_fixture_site, served

pytestmark = pytest.mark.browser

STYLED = "[...document.styleSheets].some(s => s.href && s.href.includes('/theme/css/site.') && s.cssRules.length > 0)"


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory):
    """The leak fixture built with the development settings, served as /nettstad/ of a host."""
    root = tmp_path_factory.mktemp("anywhere")
    out = build_fixture_site(root / "build", FIXTURES / "sites" / "leaks", "2026-11-30 12:00")
    shutil.copytree(out, root / "host" / "nettstad")
    with served(root / "host") as url:
        yield f"{url}/nettstad"


def test_a_page_under_a_prefix_on_another_port_is_styled_and_unlocks(page: Page, prefixed):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    bergen = unlock_token(TEST_SECRET.encode(), "4601", 1)
    page.goto(f"{prefixed}/notat/partners-only-brief/#k={bergen}")
    expect(page.locator("#kp-body")).to_contain_text("PRIVATESENTINELBRIEFBODY")
    assert page.evaluate(STYLED)
    page.get_by_role("link", name="Notat").first.click()  # site links stay under the prefix
    page.wait_for_url(f"{prefixed}/notat/")
    assert page.evaluate(STYLED) and errors == []
