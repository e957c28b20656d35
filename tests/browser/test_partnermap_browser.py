"""The Partnarkommunar page in real Chromium: the SVG paints, fits a phone, and axe finds nothing."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from tests.conftest import ARTIFACTS, FIXTURES, Cli, SiteFactory

RELATIVE_URLS = FIXTURES / "sites" / "relative_urls.py"  # serve the build on any port
REGISTRY = (FIXTURES / "partnermap" / "registry_all_statuses.yaml").read_text(encoding="utf-8")
PAGE = (FIXTURES / "partnermap" / "partnarkommunar.md").read_text(encoding="utf-8")
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
ACTIVE_BLUE = (0, 114, 178)  # #0072b2


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("partnermap-browser"), Cli())
    site.write({"pages/partnarkommunar.md": PAGE}, registry=REGISTRY)
    # Playwright's event loop is already running in this thread; the build runs its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(site.build, "2026-11-30 12:00", "--settings", RELATIVE_URLS).result()
    return site.output


def axe_violations(page) -> list[dict]:
    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result.response["violations"]
    ]


def colours_of(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(image.width * image.height)}


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 800), (375, 812)])
def test_map_paints_fits_and_passes_axe(page, built, serve_dir, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{serve_dir(built)}/partnarkommunar/")
    svg = page.locator("svg.pm-map")
    box = svg.bounding_box()
    assert box["width"] >= 250 and box["height"] > 2 * box["width"], box
    assert page.locator("svg.pm-map path[class^='pm-']:not(.pm-county)").count() == 93
    assert page.locator("svg.pm-map path.pm-active title").text_content() == (
        "Bergen (4601): Aktiv partnar"
    )
    fill = page.evaluate(
        "s => getComputedStyle(document.querySelector(s)).fill", "svg.pm-map path.pm-active"
    )
    assert fill == "rgb(0, 114, 178)"
    assert ACTIVE_BLUE in colours_of(svg.screenshot())  # painted, not only in the DOM
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.pm-tables .table-wrap')]"
        ".filter(e => e.scrollWidth > e.clientWidth).length"
    )
    assert overflowing == 0  # the tables fit a phone without sideways scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"partnermap-{width}x{height}.png", full_page=True)
    assert axe_violations(page) == []
