"""Leak sweep: no partners-only body (nor a draft, a future item, a contact) in any output file.

The fixture site tests/fixtures/sites/leaks/ marks what must never be published with tokens
PRIVATESENTINEL<NAME> and what must be published with PUBLICSENTINEL<NAME>; add a content
file there to cover a new channel. This test must stay green for every later feature.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kommunepartner.access.crypto import unlock_token
from kommunepartner.access.envelope import open_sealed
from tests.conftest import FIXTURES, TEST_SECRET, Cli, SiteFactory, output_texts
from tests.sealed import sealed_parts

LEAKS = FIXTURES / "sites" / "leaks"
PRIVATE = re.compile(r"PRIVATESENTINEL[A-Z0-9]+")
PUBLIC = re.compile(r"PUBLICSENTINEL[A-Z0-9]+")


def sentinels(pattern: re.Pattern) -> set[str]:
    found: set[str] = set()
    for path in LEAKS.rglob("*"):
        if path.is_file() and path.name != "README.md":
            found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The leak fixture site, built once for this module (at 2026-11-30)."""
    site = SiteFactory(tmp_path_factory.mktemp("leaks"), Cli())
    shutil.copytree(LEAKS / "content", site.content)
    shutil.copy(LEAKS / "partners.yaml", site.partners)
    site.build("2026-11-30 12:00")
    return site.output


def test_no_private_sentinel_in_any_output_file_and_every_public_one_present(out):
    private, public = sentinels(PRIVATE), sentinels(PUBLIC)
    assert len(private) >= 15 and len(public) >= 10  # the fixture itself is intact
    files = list(output_texts(out))
    assert len(files) >= 10
    hits = {
        (str(path.relative_to(out)), word)
        for path, text in files
        for word in private
        if word.lower() in text.lower()
    }
    # The prefix too: catches a sentinel leaking in a form the fixture does not spell out.
    hits |= {
        (str(p.relative_to(out)), "prefix") for p, t in files if "privatesentinel" in t.lower()
    }
    assert hits == set()

    everything = "\n".join(text for _, text in files)
    assert {w for w in public if w not in everything and w.lower() not in everything} == set()


def test_partners_only_pages_carry_a_sealed_body_and_a_strict_policy(out):
    page = (out / "notat" / "partners-only-brief" / "index.html").read_text()
    assert page.count('class="kp-sealed"') == 1
    assert "script-src 'self' 'wasm-unsafe-eval';" in page and "<script>" not in page
    assert '<meta name="kp-item" content="briefs/partners-only-brief">' in page
    open_page = (out / "notat" / "public-brief" / "index.html").read_text()
    assert "kp-sealed" not in open_page and "Content-Security-Policy" in open_page


def test_a_partner_in_good_standing_recovers_every_partners_only_body(out):
    bergen = unlock_token(TEST_SECRET.encode(), "4601", 1)
    opened = "\n".join(open_sealed(p.payload, bergen, p.item, p.build) for p in sealed_parts(out))
    for word in (
        "PRIVATESENTINELBRIEFBODY",
        "PRIVATESENTINELFOOTNOTE",
        "PRIVATESENTINELBOKMALBODY",
    ):
        assert word in opened
    assert "PRIVATESENTINELNEWSLETTERBODY" in opened


def test_the_sweep_reads_the_text_of_every_pdf_and_no_partners_only_brief_has_one(out):
    """PDFs are swept by their text (conftest.output_texts runs pdftotext and pdfinfo)."""
    pdfs = {str(p.relative_to(out)) for p in out.rglob("*.pdf")}
    assert pdfs == {"notat/public-brief/public-brief.pdf", "notat/turned-public/turned-public.pdf"}
    texts = {str(p.relative_to(out)): t for p, t in output_texts(out) if p.suffix == ".pdf"}
    assert "PUBLICSENTINELOPENBODY" in texts["notat/public-brief/public-brief.pdf"]
    assert "PUBLICSENTINELOPENAUTHOR" in texts["notat/public-brief/public-brief.pdf"]
    assert "PUBLICSENTINELTURNEDPUBLIC" in texts["notat/turned-public/turned-public.pdf"]
