"""Every page type of the sample site in real Chromium: axe, weight, overflow, focus, lang, print.

axe runs at 375 px (one run per page type keeps the suite lean); both widths are photographed.

One build of the sample site (content/ + partners.yaml) served on 127.0.0.1; one page per
viewport walks all page types. Screenshots go to test-artifacts/theme-<page>-<w>x<h>.png.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from kommunepartner.access.crypto import unlock_token
from kommunepartner.build.serve import make_server
from tests.conftest import ARTIFACTS, FIXTURES, ROOT, TEST_SECRET, Cli

pytestmark = pytest.mark.browser

PAGES = {
    "front": "/",
    "brief": "/notat/havvind-og-kommunane/",
    "brief-nb": "/notat/havvind-og-kommunene/",
    "brief-locked": "/notat/kraftkrevjande-industri/",
    "briefs": "/notat/",
    "topics": "/tema/",
    "topic": "/tema/havvind/",
    "newsletters": "/perspektiv/",
    "newsletter": "/perspektiv/perspektiv-3/",
    "events": "/arrangement/",
    "event": "/arrangement/partnertreff-2027/",
    "page": "/om-programmet/",
    "fees": "/bli-partnar/",
    "map": "/partnarkommunar/",
    "search": "/sok/",
    "series": "/serie/temanotat/",
    "author": "/forfattar/ingrid-haugland/",
    "places": "/kommune/",
    "kommune": "/kommune/4601-bergen/",
    "fylke": "/fylke/vestland/",
    "404": "/finst-ikkje/",
}
UNLOCKED = "/notat/kraftkrevjande-industri/#k=" + unlock_token(TEST_SECRET.encode(), "4601", 1)
SENTINEL = "Pilotkommunane bør krevje ein avtale om spillvarme"  # partners-only body text
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
VIEWPORTS = [(375, 812), (1280, 800)]
BUDGET = 60 * 1024
# What the browser actually loaded (scripts a script imports included), uncompressed.
LOADED_BYTES = """() => {
  const nav = performance.getEntriesByType('navigation')[0].decodedBodySize;
  const code = performance.getEntriesByType('resource')
    .filter(r => /\\.(m?js|css)$/.test(new URL(r.name).pathname))
    .reduce((sum, r) => sum + r.decodedBodySize, 0);
  return nav + code;
}"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("theme")
    args = ["build", "--content", ROOT / "content", "--partners", ROOT / "partners.yaml"]
    args += ["--output", root / "out", "--state", root / "state", "--now", "2026-11-30 12:00"]
    args += ["--settings", FIXTURES / "sites" / "relative_urls.py"]
    # Playwright's event loop may already run in this thread; the build runs in its own.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(Cli(), *args, env={"KOMMUNEPARTNER_SECRET": TEST_SECRET}).result()
    assert result.exit_code == 0, result.output
    server = make_server(root / "out", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def axe_violations(page: Page) -> list[str]:
    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]


def check(page: Page, name: str, width: int, height: int) -> list[str]:
    """A screenshot, horizontal overflow, and axe on the phone layout (the readers' device)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"theme-{name}-{width}x{height}.png", full_page=True)
    problems = [f"{name} @{width}: {v}" for v in axe_violations(page)] if width < 600 else []
    if width < 600:
        weight = page.evaluate(LOADED_BYTES)
        if weight > BUDGET:
            problems.append(f"{name}: {weight / 1024:.1f} KB of HTML, CSS and JS loaded")
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll > width:
        problems.append(f"{name} @{width}: scrollWidth {scroll} > {width}")
    return problems


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_every_page_type_passes_axe_fits_and_is_photographed(page, site_url, width, height):
    page.set_viewport_size({"width": width, "height": height})
    problems: list[str] = []
    for name, path in PAGES.items():
        response = page.goto(site_url + path)
        assert response is not None and response.status == (404 if name == "404" else 200), path
        page.wait_for_load_state("load")
        problems += check(page, name, width, height)
    page.goto(site_url + UNLOCKED)
    expect(page.get_by_text(SENTINEL)).to_be_visible()
    problems += check(page, "brief-unlocked", width, height)
    assert not problems, "\n".join(problems)


def test_skip_link_appears_on_focus_and_moves_focus_to_the_content(page, site_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_url + PAGES["brief"])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10  # on screen when focused
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innhald"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_keyboard_focus_is_visible_on_links_and_buttons(page, site_url):
    page.goto(site_url + PAGES["fees"])
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
        )
        if style[0] in ("A", "BUTTON", "INPUT", "DIV"):
            seen += 1
            assert style[1] != "none" and style[2] != "0px", style
    assert seen >= 10


def test_languages_are_marked_and_the_translation_switch_round_trips(page, site_url):
    page.goto(site_url + PAGES["brief"])
    assert page.get_attribute("html", "lang") == "nn"
    switch = page.locator(".langswitch a")
    expect(switch).to_have_attribute("lang", "nb")
    switch.click()
    page.wait_for_url(re.compile(r"/notat/havvind-og-kommunene/$"))
    assert page.get_attribute("html", "lang") == "nb"
    expect(page.locator("h1")).to_have_text(re.compile("hva betyr Utsira Nord"))
    expect(page.locator("dl.facts")).to_contain_text("Skrevet av")
    page.locator(".langswitch a").click()
    page.wait_for_url(re.compile(r"/notat/havvind-og-kommunane/$"))
    page.goto(site_url + PAGES["briefs"])  # a nynorsk list marks the bokmål cards
    card = page.locator("article.card", has=page.locator('a[href="/notat/levande-sentrum/"]'))
    expect(card).to_have_attribute("lang", "nb")


def test_a_brief_prints_on_a4_without_navigation_and_with_link_targets(page, site_url):
    page.goto(site_url + PAGES["brief"])
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header nav')).display")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.body a[href^=\"https\"]'), '::after').content"
    )
    assert "https://www.regjeringen.no/no/dep/ed/id750/" in after
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=ARTIFACTS / "theme-brief-print.pdf", prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)
