"""The sample site (content/ + partners.yaml) builds, has every page type, and leaks nothing.

Built once per module at the issue's "today" (2026-11-30) into a temporary folder.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, TEST_SECRET, output_texts

from kommunepartner.base.schema import OSLO
from kommunepartner.cli import main as cli_main
from kommunepartner.content.items import load_content
from kommunepartner.content.registry import load_registry
from kommunepartner.outputs.listing import fee_table

NOW = "2026-11-30 12:00"
CONTENT = ROOT / "content"
PARTNERS = ROOT / "partners.yaml"

# One sentence in the body of each partners-only brief; it appears in no other content file.
SENTINELS = {
    "kraftkrevjande-industri.md": "Pilotkommunane bør krevje ein avtale om spillvarme og lokale"
    " lærlingplassar før dei regulerer meir enn 300 dekar til eitt og same kraftkrevjande anlegg.",
    "fylke-og-kommune-roller.md": "Vestland fylkeskommune bør samle kommunedirektørene i hver"
    " region til et fast halvårlig partnermøte med felles sakliste og skriftlig oppfølging.",
}

PAGE_TYPES = {
    "front page": "index.html",
    "404": "404.html",
    "briefs list": "notat/index.html",
    "brief (nynorsk)": "notat/havvind-og-kommunane/index.html",
    "brief (bokmål translation)": "notat/havvind-og-kommunene/index.html",
    "brief (partners only)": "notat/kraftkrevjande-industri/index.html",
    "topic index": "tema/index.html",
    "topic": "tema/havvind/index.html",
    "newsletter archive": "perspektiv/index.html",
    "newsletter issue": "perspektiv/perspektiv-3/index.html",
    "events list": "arrangement/index.html",
    "event": "arrangement/partnertreff-2027/index.html",
    "page Om programmet": "om-programmet/index.html",
    "page Bli partnar": "bli-partnar/index.html",
    "page Personvern": "personvern/index.html",
}


def squash(text: str) -> str:
    """Whitespace collapsed, so a sentence matches across Markdown line breaks."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    result = CliRunner().invoke(
        cli_main,
        [
            "build",
            "--content",
            str(CONTENT),
            "--partners",
            str(PARTNERS),
            "--output",
            str(root / "output"),
            "--state",
            str(root / "state"),
            "--now",
            NOW,
        ],
        env={"KOMMUNEPARTNER_SECRET": TEST_SECRET},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return root / "output"


@pytest.fixture(scope="module")
def texts(out) -> dict[Path, str]:
    return {p: squash(t) for p, t in output_texts(out)}


def html(out: Path, rel: str) -> str:
    return squash((out / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_is_written(out, kind):
    page = html(out, PAGE_TYPES[kind])
    assert page.startswith("<!doctype html>")
    assert re.search(r"<h1[ >]", page), kind


def test_the_sample_content_is_what_the_issue_asks_for():
    site = load_content(CONTENT, ROOT)
    briefs = site.section("briefs")
    assert len(briefs) >= 8
    assert {b.lang for b in briefs} == {"nn", "nb"}
    partners_only = [b for b in briefs if b.meta.get("access") == "partners"]
    assert sorted(Path(b.path).name for b in partners_only) == sorted(SENTINELS)
    assert all("public_after" in b.meta for b in partners_only)
    issues = [i for i in site.section("newsletters") if i.meta["newsletter"] == "perspektiv"]
    assert len(issues) == 3 and all(i.meta.get("features") for i in issues)
    events = site.section("events")
    assert len(events) == 4
    assert {(e.meta["series"], e.meta["format"]) for e in events} >= {
        ("tenk-nytt", "digital"),
        ("partnertreff", "fysisk"),
        ("erfaringsdeling", "hybrid"),
    }
    assert all(e.meta.get("online_url") for e in events if e.meta["format"] != "fysisk")
    starts = sorted(e.meta["start"].astimezone(OSLO).date().isoformat() for e in events)
    assert starts[0] < "2026-11-30" < starts[1] and starts[-1] < "2027-04-01"
    assert {p.slug for p in site.section("pages")} >= {"om-programmet", "bli-partnar", "personvern"}


def test_the_sample_registry_has_eight_pilots_from_all_three_counties():
    registry = load_registry(PARTNERS)
    pilots = [p for p in registry.partners if p.status == "pilot"]
    assert len(pilots) == 8
    assert {p.org.fylke for p in pilots} == {"Vestland", "Rogaland", "Møre og Romsdal"}
    assert sum(p.org.is_county for p in pilots) == 1
    assert {p.status for p in registry.partners} >= {"pilot", "prospect", "ended"}
    contacts = [c for p in registry.partners for c in p.contacts]
    assert contacts and all(c.email.endswith("@example.org") for c in contacts)


def test_no_contact_name_or_email_reaches_any_output_file(texts):
    registry = load_registry(PARTNERS)
    people = [(c.name, c.email) for p in registry.partners for c in p.contacts]
    assert len(people) >= 16
    for path, text in texts.items():
        low = text.lower()
        for name, email in people:
            assert name.lower() not in low, f"{name} in {path}"
            assert email.lower() not in low, f"{email} in {path}"


def test_partners_only_sentences_reach_no_output_file_while_public_text_does(out, texts):
    for filename, sentence in SENTINELS.items():
        sources = [p for p in CONTENT.rglob("*.md") if sentence in squash(p.read_text())]
        assert [p.name for p in sources] == [filename]
        for path, text in texts.items():
            assert sentence not in text, f"partners-only text of {filename} in {path}"
            assert sentence[:60] not in text, f"partners-only text of {filename} in {path}"
    public = "Erfaringar frå Skottland tyder på at dei fleste varige arbeidsplassane kjem"
    assert public in html(out, "notat/havvind-og-kommunane/index.html")


def test_a_partners_only_brief_shows_its_teaser_and_the_locked_box(out):
    page = html(out, "notat/kraftkrevjande-industri/index.html")
    assert "Kraftkrevjande industri: korleis sikre lokal verdiskaping" in page
    assert "Nye datasenter og batterifabrikkar vil ha kraft og areal." in page
    assert 'href="../../bli-partnar/"' in page


def test_a_brief_shows_series_date_authors_topic_links_and_places(out):
    page = html(out, "notat/havvind-og-kommunane/index.html")
    assert ">Policy brief 2026:1</a>" in page
    assert "2. mars 2026" in page
    assert ">Ingrid Haugland</a>, <a " in page and ">Tor Einar Vik</a>" in page
    assert 'href="../../tema/havvind/">havvind</a>' in page
    places = re.findall(r'<a href="../../(?:kommune|fylke)/[^"]+/">([^<]+)</a>', page)
    assert places == ["Utsira", "Haugesund", "Karmøy", "Rogaland"]
    assert 'href="../../notat/havvind-og-kommunene/" hreflang="nb" lang="nb"' in page


def test_events_list_puts_upcoming_soonest_first_and_the_past_event_last(out):
    page = html(out, "arrangement/index.html")
    order = [
        "tenk-nytt-nettkapasitet/",
        "partnertreff-2027/",
        "erfaringsdeling-interkommunalt/",
        'id="h-past"',
        "oppstartssamling-stavanger/",
    ]
    positions = [page.index(s) for s in order]
    assert positions == sorted(positions)


def test_front_page_has_latest_briefs_upcoming_events_and_latest_issue(out):
    page = html(out, "index.html")
    assert page.index("fylke-og-kommune-roller/") < page.index("levande-sentrum/")
    assert "tenk-nytt-nettkapasitet/" in page and "oppstartssamling-stavanger/" not in page
    assert "perspektiv/perspektiv-3/" in page and "perspektiv/perspektiv-1/" not in page
    assert "havvind-og-kommunene/" not in page.split('id="h-issue"')[0]  # no translation twice


def test_bli_partnar_shows_the_fee_table_computed_from_the_registry(out):
    page = (out / "bli-partnar/index.html").read_text(encoding="utf-8")
    table = fee_table(load_registry(PARTNERS), date(2026, 11, 30))
    assert len(table.partners) == 8

    def nok(n: int) -> str:
        return f"{n:,}".replace(",", "\u202f") + "&nbsp;kr"

    for tier in table.tiers:
        assert nok(tier.fee) in page
    for p in table.partners:
        assert re.search(rf'<th scope="row">{p.name}</th>.*?{nok(p.fee)}', page), p.name
    assert "Molde" not in page and "Kinn" not in page  # a prospect and an ended partner
    assert nok(table.total) in page


def test_topic_index_shows_programme_areas_first(out):
    page = html(out, "tema/index.html")
    areas = ["makt-og-samarbeid", "transport-og-stadutvikling", "energi-og-naeringsutvikling"]
    positions = [page.index(f"tema/{a}/") for a in areas]
    assert positions == sorted(positions) and positions[-1] < page.index("tema/havvind/")


def test_pages_link_within_the_site_relative_to_themselves(out):
    """A copy of the output works at any address: outside <head> (canonical, feeds, hreflang are
    absolute by design) no page links a page or file of the site by its absolute address, except
    calendar files, which calendar apps subscribe to by their full address."""
    absolute = []
    for path in sorted(out.rglob("*.html")):
        body = path.read_text(encoding="utf-8").split("</head>", 1)[1]
        for url in re.findall(r'(?:href|src|action)="(http://127\.0\.0\.1:8000[^"]*)"', body):
            if not url.endswith(".ics"):
                absolute.append(f"{path.relative_to(out)}: {url}")
    assert absolute == []
