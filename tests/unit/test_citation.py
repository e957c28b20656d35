"""Citations of a brief: APA 7, BibTeX, RIS, CSL-JSON and the meta tags, from public facts only."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import bibtexparser
import rispy

from kommunepartner.outputs.citation import (
    Citation,
    apa,
    bibtex,
    cite_key,
    csl_json,
    dublin_core_tags,
    highwire_tags,
    initials,
    ris,
    split_name,
)

C = Citation(
    slug="havvind",
    title="Havvind & kommunane: 50 % meir?",
    authors=("Ingrid Haugland", "Tor Einar Vik", "Jon-Olav Ødegård"),
    issued=date(2026, 3, 2),
    institution="Initiativ Vest",
    series="Policy brief",
    number="2026:1",
    url="https://example.org/notat/havvind/",
    pdf_url="https://example.org/notat/havvind/havvind.pdf",
    lang="nn",
    abstract="Kort {samandrag}.",
    keywords=("havvind", "energi"),
)


def test_names_and_initials():
    assert split_name("Tor Einar Vik") == ("Vik", "Tor Einar")
    assert split_name("Platon") == ("Platon", "")
    assert initials("Tor Einar") == "T. E." and initials("Jon-Olav") == "J.-O."


def test_apa_for_people_one_person_and_the_institution_as_author():
    assert apa(C).text == (
        "Haugland, I., Vik, T. E., & Ødegård, J.-O. (2026). Havvind & kommunane: 50 % meir?"
        " (Policy brief 2026:1). Initiativ Vest. https://example.org/notat/havvind/"
    )
    one = replace(C, authors=("Maren Lothe",), title="Nettkapasitet", number="", series="")
    assert apa(one).text == (
        "Lothe, M. (2026). Nettkapasitet. Initiativ Vest. https://example.org/notat/havvind/"
    )
    group = replace(C, authors=())
    assert apa(group).before == "Initiativ Vest. (2026). "  # not named again as publisher
    assert apa(group).after == " (Policy brief 2026:1). https://example.org/notat/havvind/"


def test_bibtex_parses_with_its_specials_escaped():
    library = bibtexparser.parse_string(bibtex(C))
    assert not library.failed_blocks
    entry = library.entries[0]
    assert entry.key == cite_key(C) == "haugland2026havvind"
    assert entry["title"] == r"{Havvind \& kommunane: 50 \% meir?}"
    assert entry["author"] == "Haugland, Ingrid and Vik, Tor Einar and Ødegård, Jon-Olav"
    assert entry["abstract"] == r"Kort \{samandrag\}."
    assert (entry["type"], entry["number"], entry["year"]) == ("Policy brief", "2026:1", "2026")


def test_ris_and_csl_json_carry_the_same_facts():
    (record,) = rispy.loads(ris(C))
    assert record["type_of_reference"] == "RPRT" and record["title"] == C.title
    assert record["authors"] == ["Haugland, Ingrid", "Vik, Tor Einar", "Ødegård, Jon-Olav"]
    assert record["issn"] == "Policy brief 2026:1" and record["date"] == "2026/03/02"
    assert record["keywords"] == ["havvind", "energi"] and "unknown_tag" not in record
    (item,) = json.loads(csl_json(C))
    assert item["issued"] == {"date-parts": [[2026, 3, 2]]}
    assert item["author"][2] == {"family": "Ødegård", "given": "Jon-Olav"}
    assert (item["genre"], item["number"], item["language"]) == ("Policy brief", "2026:1", "nn")
    group = json.loads(csl_json(replace(C, authors=())))[0]
    assert group["author"] == [{"literal": "Initiativ Vest"}]


def test_meta_tags_and_no_pdf_address_without_a_public_pdf():
    tags = highwire_tags(C)
    assert ("citation_author", "Tor Einar Vik") in tags
    assert ("citation_technical_report_number", "Policy brief 2026:1") in tags
    assert ("citation_pdf_url", C.pdf_url) in tags
    assert "citation_pdf_url" not in dict(highwire_tags(replace(C, pdf_url="")))
    assert dict(dublin_core_tags(C))["DC.date"] == "2026-03-02"
