"""Events and search in real Chromium. Search: a public brief is found by a word of its body, a
partners-only brief is not found by a word of its body; the header box leads to results; without
JavaScript the page says why there are none. Events: the meeting link appears only unlocked.

The events fixture site (tests/fixtures/sites/events/) is built once with root-relative URLs and
served on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kommunepartner.access.crypto import unlock_token
from kommunepartner.base.i18n import catalogue
from tests.conftest import ARTIFACTS, FIXTURES, TEST_SECRET, build_fixture_site, served

pytestmark = pytest.mark.browser

NN = catalogue("nn")
RESULT = "#kp-search-results a"


@pytest.fixture(scope="module")
def base_url_of_site(tmp_path_factory):
    site, settings = FIXTURES / "sites" / "events", FIXTURES / "sites" / "relative_urls.py"
    out = build_fixture_site(tmp_path_factory.mktemp("search"), site, "2026-03-01 12:00", settings)
    with served(out) as url:
        yield url


def results(page: Page) -> list[str]:
    expect(page.locator("#kp-search-status")).not_to_contain_text("…")
    return [a.get_attribute("href") for a in page.locator(RESULT).all()]


def test_a_public_brief_is_found_by_a_word_of_its_body(page: Page, base_url_of_site):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{base_url_of_site}/sok/?q=kvitsymre")
    expect(page.locator(RESULT).first).to_be_visible()
    assert results(page) == ["/notat/open-brief/"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    assert errors == []  # nothing blocked by the Content-Security-Policy
    assert [u for u in failed if not u.endswith("/favicon.ico")] == []
    expect(page.get_by_text(NN["search_noscript"])).to_be_hidden()


def test_a_partners_only_brief_is_not_found_by_a_word_of_its_body(page: Page, base_url_of_site):
    page.goto(f"{base_url_of_site}/sok/?q=raudsymre")
    expect(page.locator("#kp-search-status")).to_have_text(
        NN["search_none"].replace("{q}", "raudsymre")
    )
    assert results(page) == []
    # Its public teaser is searchable: the title and summary are public by design.
    page.goto(f"{base_url_of_site}/sok/?q=teaser")
    expect(page.locator(RESULT).first).to_be_visible()
    assert results(page) == ["/notat/locked-brief/"]


def test_the_header_box_opens_the_search_page_with_results(page: Page, base_url_of_site):
    page.goto(f"{base_url_of_site}/")
    page.get_by_label(NN["search_label"]).fill("kvitsymre")
    page.get_by_label(NN["search_label"]).press("Enter")
    page.wait_for_url("**/sok/?q=kvitsymre")
    expect(page.locator(RESULT).first).to_have_attribute("href", "/notat/open-brief/")
    # A new query on the search page itself replaces the results and the address.
    page.get_by_role("searchbox", name=NN["search_label"]).fill("teaser")
    page.get_by_role("button", name=NN["search_button"]).click()
    expect(page.locator(RESULT).first).to_have_attribute("href", "/notat/locked-brief/")
    assert page.url.endswith("/sok/?q=teaser")


def test_without_javascript_the_search_page_says_so(browser: Browser, base_url_of_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url_of_site}/sok/?q=kvitsymre")
        expect(page.get_by_text(NN["search_noscript"])).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/sok/?q=kvitsymre", "/arrangement/after-spring/"])
def test_search_and_event_pages_have_no_axe_violations(page: Page, base_url_of_site, path):
    page.goto(f"{base_url_of_site}{path}")
    if path.startswith("/sok/"):
        expect(page.locator(RESULT).first).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], len(v["nodes"])) for v in violations] == []


def test_the_meeting_link_appears_only_on_a_partners_unlocked_device(page: Page, base_url_of_site):
    event = f"{base_url_of_site}/arrangement/before-spring/"
    link = page.get_by_role("link", name=NN["ev_join"])
    page.goto(event)
    expect(page.get_by_text(NN["ev_online_locked"])).to_be_visible()
    expect(link).to_have_count(0)
    page.goto("about:blank")  # a fragment change alone would not reload the page
    page.goto(f"{event}#k={unlock_token(TEST_SECRET.encode(), '4601', 1)}")
    expect(link).to_have_attribute("href", "https://meet.example.org/PRIVATESENTINELONLINESPRING")
    expect(page.get_by_text(NN["ev_online_locked"])).to_be_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event-unlocked.png"), full_page=True)
