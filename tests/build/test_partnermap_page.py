"""The Partnarkommunar page built from a fixture site: map, tables, credit, language, weight."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, output_texts

REGISTRY = (FIXTURES / "partnermap" / "registry_all_statuses.yaml").read_text(encoding="utf-8")
PAGE_NN = (FIXTURES / "partnermap" / "partnarkommunar.md").read_text(encoding="utf-8")
PAGE_NB = """
---
title: Partnerkommuner
slug: partnerkommuner
lang: nb
template: partnermap
---

Kommunene i partnerskapet.
"""
BUDGET = 60 * 1000  # bytes of HTML + CSS + JavaScript before compression


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts; and the page's stylesheets and scripts."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.assets: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "link" and a.get("rel") == "stylesheet" or tag == "script" and a.get("src"):
            self.assets.append(a.get("href") or a["src"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Tables:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_weight(out: Path, page: Path) -> int:
    """The page's HTML plus every stylesheet and script it loads from the site."""
    total = page.stat().st_size
    for url in parse(page).assets:
        local = re.sub(r"^https?://[^/]+", "", url)
        # Relative to the page (pages name their files relatively), or from the site's root.
        total += (
            (out / local.lstrip("/") if local.startswith("/") else page.parent / local)
            .stat()
            .st_size
        )
    return total


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import Cli, SiteFactory  # the `site` fixture is per test; one build here

    site = SiteFactory(tmp_path_factory.mktemp("partnermap"), Cli())
    site.write(
        {"pages/partnarkommunar.md": PAGE_NN, "pages/partnerkommuner.md": PAGE_NB},
        registry=REGISTRY,
    )
    site.build(now="2026-11-30 12:00")
    return site.output


def test_page_has_the_map_the_legend_and_the_credit(built):
    html = (built / "partnarkommunar" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="pm-map"') == 1
    assert len(re.findall(r'<path class="pm-(?!county)', html)) == 93
    assert "Kartgrunnlag: © Kartverket, CC BY 4.0" in html
    assert "Status per 30. november 2026." in html
    for label in ("Aktiv partnar (1)", "Pilotpartnar (1)", "I dialog om partnarskap (2)"):
        assert label in html
    assert "Ikkje partnar (86)" in html and "Tjukk strek er fylkesgrense." in html
    # no summary in the front matter: the site's tagline, not Pelican's HTML excerpt
    assert '<meta name="description" content="Kommunepartnar for utvikling' in html


def test_page_has_the_tables_of_fylkeskommunar_and_of_kommunar_by_county(built):
    counties, *by_county = parse(built / "partnarkommunar" / "index.html").tables
    assert [t[0] for t in by_county] == [["Kommune", "Nummer", "Status", "Partnar sidan"]] * 3
    assert [len(t) - 1 for t in by_county] == [23, 27, 43]  # Rogaland, Møre og Romsdal, Vestland
    rows = {r[1]: r for t in by_county for r in t[1:]}
    assert len(rows) == 93
    assert rows["4601"] == ["Bergen", "4601", "Aktiv partnar", "1. januar 2025"]
    assert rows["1103"][2] == "I dialog om partnarskap"  # signed, starts 1 January 2027
    assert rows["4614"][2] == "Tidlegare partnar"  # its agreement ran out on 30 June
    assert rows["1101"] == ["Eigersund", "1101", "Ikkje partnar", ""]
    assert [r[:3] for r in counties[1:]] == [
        ["Rogaland fylkeskommune", "11", "Ikkje partnar"],
        ["Møre og Romsdal fylkeskommune", "15", "Ikkje partnar"],
        ["Vestland fylkeskommune", "46", "Aktiv partnar"],
    ]
    html = (built / "partnarkommunar" / "index.html").read_text(encoding="utf-8")
    for caption in ("Kommunane i Rogaland (23)", "Kommunane i Vestland (43)"):
        assert f"<caption>{caption}</caption>" in html


def test_bokmal_page_uses_the_bokmal_catalogue(built):
    # a page in the other written standard keeps its plain URL (slugs are unique)
    html = (built / "partnerkommuner" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in html
    assert "Bergen (4601): Aktiv partner" in html and "Partner siden" in html
    ours = html[html.index('<article class="pm">') : html.index("</article>")]
    assert "partnar" not in ours.lower()


def test_page_stays_within_the_weight_budget(built):
    page = built / "partnarkommunar" / "index.html"
    weight = page_weight(built, page)
    assert weight <= BUDGET, f"{weight} bytes"


def test_no_contact_reaches_the_output(built):
    for path, text in output_texts(built):
        assert "Kari Testesen" not in text and "kari@example.org" not in text, path
