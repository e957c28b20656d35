"""The sample site's briefs as publications: series numbers, PDFs, citation files, place pages.

One build of the sample site (content/ + partners.yaml) on 2026-11-30 for the module; the PDF
cache tests build it again into the same state folder.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import feedparser
import icalendar
import pytest
import rispy

from kommunepartner.build import incremental
from kommunepartner.build.pdfpreview import PdfRendering
from tests.conftest import ROOT, Cli, SiteFactory, pdf_text

NOW = "2026-11-30 12:00"
BRIEF = "notat/havvind-og-kommunane/"
LOCKED = "notat/kraftkrevjande-industri/"
META = re.compile(r'<meta name="([^"]+)" content="([^"]*)">')


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> SiteFactory:
    """The sample site copied into a SiteFactory and built once."""
    site = SiteFactory(tmp_path_factory.mktemp("publications"), Cli())
    shutil.copytree(ROOT / "content", site.content)
    shutil.copyfile(ROOT / "partners.yaml", site.partners)
    site.build(NOW)
    return site


@pytest.fixture(scope="module")
def out(sample) -> Path:
    return sample.output


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def meta(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, content in META.findall(text):
        found.setdefault(name, []).append(html.unescape(content))
    return found


def test_a_brief_shows_its_number_on_the_page_in_lists_and_in_feeds(out):
    assert '<p class="kicker"><a href="../../serie/policy-brief/">Policy brief 2026:1</a>' in page(
        out, BRIEF
    )
    assert "18. september 2026</time> · Temanotat 2026:4" in page(out, "notat")
    titles = {
        e.link: e.title for e in feedparser.parse((out / "notat" / "atom.xml").read_bytes()).entries
    }
    assert titles["http://127.0.0.1:8000/notat/solkraft-pa-kommunale-tak/"] == (
        "Solkraft på kommunale tak: lønsamt no? (Temanotat 2026:4)"
    )


def test_each_series_has_a_page_by_year_and_number_and_a_feed(out):
    series = page(out, "serie/temanotat")
    order = [series.index(f"Temanotat 2026:{n}<") for n in (5, 4, 3, 2, 1)]
    assert order == sorted(order) and "<h2>2026</h2>" in series
    feed = feedparser.parse((out / "serie" / "temanotat" / "atom.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 5
    assert all("(Temanotat 2026:" in e.title for e in feed.entries)


def test_the_pdf_holds_title_authors_number_footnotes_and_printed_links(out):
    pdf = out / BRIEF / "havvind-og-kommunane.pdf"
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "Havvind og kommunane: kva betyr Utsira Nord for Vestlandet?",
        "Ingrid Haugland, Tor Einar Vik",
        "Policy brief 2026:1",
        "2. mars 2026",
        "Kommunepartnar for utvikling og omstilling",
        "Energidepartementet (https://www.regjeringen.no/no/dep/ed/id750/)",
        "Side 1 av 2",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert "Title:           Havvind og kommunane" in info
    # The first footnote is at the foot of the first page, above its page number.
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    body, foot = " ".join(first.split()).split("areal og nett no.", 1)
    assert "1. Utsira Nord blir tildelt" in foot and foot.index("1. Utsira") < foot.index("Side 1")


def test_only_public_briefs_have_a_pdf_and_the_page_offers_it(out):
    pdfs = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))
    assert len(pdfs) == 8  # ten briefs, two for partners only
    assert not list((out / LOCKED).glob("*.pdf"))
    assert not list((out / "notat" / "fylke-og-kommune-roller").glob("*.pdf"))
    assert 'href="havvind-og-kommunane.pdf"' in page(out, BRIEF)
    assert ".pdf" not in page(out, LOCKED)


@pytest.mark.parametrize("path", [BRIEF, LOCKED])
def test_the_citation_files_parse_and_agree_with_the_page(out, path):
    text = page(out, path)
    tags = meta(text)
    slug = path.strip("/").split("/")[-1]
    title, authors = tags["citation_title"][0], tags["citation_author"]
    number = tags["citation_technical_report_number"][0]
    assert tags["DC.title"] == [title] and tags["DC.creator"] == authors

    library = bibtexparser.parse_string((out / path / f"{slug}.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    assert entry.entry_type == "techreport"
    assert entry["title"].strip("{}") == title
    assert entry["author"] == " and ".join(
        f"{a.split()[-1]}, {' '.join(a.split()[:-1])}" for a in authors
    )
    assert f"{entry['type']} {entry['number']}" == number

    ris = (out / path / f"{slug}.ris").read_bytes().decode("utf-8")
    # Strict: every line a known tag in the RIS form "XY  - value", CRLF-ended, TY first, ER last.
    lines = ris.split("\r\n")
    assert lines[-1] == "" and all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", ln) for ln in lines[:-1])
    assert lines[0] == "TY  - RPRT" and lines[-2] == "ER  - "
    record = rispy.loads(ris, skip_unknown_tags=False, enforce_list_tags=True)
    assert len(record) == 1 and "unknown_tag" not in record[0]
    assert record[0]["type_of_reference"] == "RPRT"
    assert record[0]["title"] == title and record[0]["issn"] == number
    assert [" ".join(reversed(a.split(", "))) for a in record[0]["authors"]] == authors

    (item,) = json.loads((out / path / f"{slug}.csl.json").read_text(encoding="utf-8"))
    assert item["type"] == "report" and item["title"] == title
    assert [f"{a['given']} {a['family']}" for a in item["author"]] == authors
    assert f"{item['genre']} {item['number']}" == number

    reference = re.search(r'<p class="reference">(.*?)</p>', text).group(1)
    assert f"<i>{html.escape(title, quote=False)}</i> ({number})." in reference
    assert ("citation_pdf_url" in tags) == (path == BRIEF)


def test_every_municipality_named_or_in_the_registry_has_a_page_with_feed_and_calendar(out):
    pages = {p.name for p in (out / "kommune").iterdir() if p.is_dir()}
    assert {"4601-bergen", "1151-utsira", "4647-sunnfjord", "1103-stavanger"} <= pages
    assert {"1506-molde", "4602-kinn"} <= pages  # a prospect, an ended partner
    assert "4640-sogndal" not in pages  # neither named nor a partner
    assert sorted(p.name for p in (out / "fylke").iterdir()) == [
        "more-og-romsdal",
        "rogaland",
        "vestland",
    ]
    karmoy = page(out, "kommune/1149-karmoy")
    assert "Pilotpartnar" in karmoy and "kraftkrevjande-industri/" in karmoy
    assert 'href="../../fylke/rogaland/"' in karmoy
    feed = feedparser.parse((out / "kommune" / "1149-karmoy" / "atom.xml").read_bytes())
    links = {e.link.removeprefix("http://127.0.0.1:8000/") for e in feed.entries}
    assert links == {BRIEF, LOCKED, "notat/rogfast-bo-og-arbeidsmarknad/"}
    locked = next(e for e in feed.entries if e.link.endswith(LOCKED))
    assert "content" not in locked  # a partners-only item: its teaser only
    cal = icalendar.Calendar.from_ical(
        (out / "kommune" / "4601-bergen" / "kalender.ics").read_bytes()
    )
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == [
        "Partnartreff 2027: Oppsummering av pilotåret"
    ]
    vestland = page(out, "fylke/vestland")
    assert "kommune/4601-bergen/" in vestland and "partnertreff-2027/" in vestland


def test_author_pages_list_their_briefs_and_the_brief_links_them(out):
    assert 'href="../../forfattar/ingrid-haugland/">Ingrid Haugland</a>' in page(out, BRIEF)
    haugland = page(out, "forfattar/ingrid-haugland")
    assert all(s in haugland for s in ("havvind-og-kommunane/", "fylke-og-kommune-roller/"))
    assert "havvind-og-kommunene/" not in haugland  # each text once
    assert "forfattar/tor-einar-vik/" in page(out, "forfattar")


def cached(state: Path) -> dict[str, int]:
    """The cached PDFs by name, each with its inode (a PDF made again is a new file)."""
    return {p.name: p.stat().st_ino for p in (state / "pdf").glob("*.pdf")}


def test_a_second_build_renders_no_pdf_and_an_edit_renders_only_that_brief(sample):
    before = cached(sample.state)
    assert len(before) == 8
    inode = os.stat(sample.output / BRIEF / "havvind-og-kommunane.pdf").st_ino
    sample.build(NOW)
    assert cached(sample.state) == before  # nothing written to the cache
    assert os.stat(sample.output / BRIEF / "havvind-og-kommunane.pdf").st_ino == inode

    edited = sample.content / "briefs" / "solkraft-pa-kommunale-tak.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEin ny setning.\n", encoding="utf-8")
    sample.build(NOW)
    # A rebuild in the same process is a preview's: the new PDF is made after the swap.
    jobs = incremental.current(sample.output.resolve()).jobs
    assert [type(j).__name__ for j in jobs].count("PdfRendering") == 1
    solkraft = sample.output / "notat/solkraft-pa-kommunale-tak/solkraft-pa-kommunale-tak.pdf"
    assert solkraft.is_file()  # meanwhile the previous build's PDF (one edit behind)
    incremental.settle(sample.output.resolve())
    assert next(j for j in jobs if isinstance(j, PdfRendering)).placed
    after = cached(sample.state)
    assert len(set(after) - set(before)) == 1  # one PDF made
    assert all(after[name] == ino for name, ino in before.items())  # no other made again
    assert os.stat(sample.output / BRIEF / "havvind-og-kommunane.pdf").st_ino == inode
    assert "Ein ny setning." in pdf_text(solkraft)


def test_a_number_clash_stops_the_build_naming_both_files(site):
    brief = "---\ntitle: T\ndate: 2026-0{m}-01\nsummary: S.\nseries: temanotat\nnumber: 2\n---\n\nTekst.\n"
    site.write({"briefs/a.md": brief.format(m=1), "briefs/b.md": brief.format(m=2)})
    result = site.build(NOW, expect=2)
    assert "briefs/b.md:6:9: number: temanotat 2026:2 is also the number of" in result.output
    assert "briefs/a.md" in result.output.split("also the number of", 1)[1]
    assert not site.output.exists()


def test_pdfs_can_be_turned_off(site):
    site.write({"briefs/a.md": "---\ntitle: T\ndate: 2026-01-01\nsummary: S.\n---\n\nTekst.\n"})
    site.build(NOW, "--settings", ROOT / "bench" / "nopdf.py")  # KP_PDF = False
    assert not list(site.output.rglob("*.pdf")) and not (site.state / "pdf").exists()
    assert ".pdf" not in page(site.output, "notat/a") and (site.output / "notat/a/a.bib").is_file()
