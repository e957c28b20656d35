"""Content validation rules, one test per rule, on the core without a build."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from kommunepartner.base.errors import InputError
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import load_content, publishable

BRIEF = "title: Havvind\ndate: 2026-03-01\nsummary: Kort.\n"
EVENT = "title: Tenk nytt\nstart: 2026-03-10 10:00\nseries: tenk-nytt\nformat: digital\n"
ISSUE = "title: P\ndate: 2026-03-01\nnewsletter: perspektiv\nnumber: 1\npreheader: Kort.\n"


def site(tmp_path: Path, files: dict[str, str]):
    for rel, text in files.items():
        path = tmp_path / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_content(tmp_path / "content", tmp_path)


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """The problems as `file:line:col: field: message`, file relative to content/."""
    with pytest.raises(InputError) as exc:
        site(tmp_path, files)
    prefix = str(tmp_path / "content") + "/"
    return [str(p).replace(prefix, "") for p in exc.value.problems]


def fm(fields: str, body: str = "Tekst.\n") -> str:
    return f"---\n{fields}---\n\n{body}"


def test_a_valid_item_of_each_type_is_accepted(tmp_path):
    loaded = site(
        tmp_path,
        {
            "briefs/havvind.md": fm(BRIEF + "topics: [Energi]\nkommuner: [4601]\n"),
            "events/tenk-nytt.md": fm(EVENT + "end: 2026-03-10 11:00\n"),
            "newsletters/p-1.md": fm(ISSUE + "features: [havvind, tenk-nytt]\n"),
            "pages/om.md": fm("title: Om\n"),
        },
    )
    brief = loaded.by_key()["briefs/havvind"]
    assert brief.meta["topics"] == ["energi"] and brief.meta["kommuner"] == ["4601"]
    assert brief.date == datetime(2026, 3, 1, tzinfo=OSLO) and brief.lang == "nn"
    assert brief.body == "\nTekst.\n" and brief.body_line == 8
    assert loaded.by_key()["events/tenk-nytt"].date == datetime(2026, 3, 10, 10, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("section", "base", "missing"),
    [
        ("briefs", BRIEF, "title"),
        ("briefs", BRIEF, "date"),
        ("briefs", BRIEF, "summary"),
        ("events", EVENT, "start"),
        ("events", EVENT, "series"),
        ("events", EVENT, "format"),
        ("newsletters", ISSUE, "newsletter"),
        ("newsletters", ISSUE, "number"),
    ],
)
def test_required_fields(tmp_path, section, base, missing):
    fields = "".join(line + "\n" for line in base.splitlines() if not line.startswith(missing))
    [problem] = problems(tmp_path, {f"{section}/x.md": fm(fields)})
    assert problem.startswith(f"{section}/x.md:1:1: {missing}: is required for")


def test_pages_take_only_page_fields(tmp_path):
    assert problems(tmp_path, {"pages/om.md": fm("title: Om\naccess: partners\n")}) == [
        "pages/om.md:3:1: access: unknown field — a page takes title, slug, status, lang,"
        " summary, translation_of, template, order"
    ]


def test_every_problem_in_a_file_is_reported(tmp_path):
    text = fm("title:\ndate: 2026-13-01\nsummary: Kort.\nlang: en\ncolour: red\n")
    assert problems(tmp_path, {"briefs/x.md": text}) == [
        'briefs/x.md:2:1: title: has no value — e.g. title: "Havvind og kommunane"',
        "briefs/x.md:3:7: date: '2026-13-01' has no month 13 — months go from 01 to 12",
        "briefs/x.md:5:7: lang: 'en' is not one of nb (bokmål), nn (nynorsk)",
        "briefs/x.md:6:1: colour: unknown field — a brief takes title, slug, status, lang, summary,"
        " access, public_after, translation_of, date, authors, topics, series, number, kommuner,"
        " fylker, image, image_alt",
    ]


def test_front_matter_must_be_fields(tmp_path):
    assert problems(tmp_path, {"briefs/x.md": fm("- a\n- b\n")}) == [
        "briefs/x.md:2:1: the front matter must be fields like 'title: …'"
    ]


def test_event_rules(tmp_path):
    text = fm(
        EVENT.replace("digital", "hybrid")
        + "end: 2026-03-10 10:00\nregistration: {deadline: 2026-03-11}\n"
    )
    assert problems(tmp_path, {"events/x.md": text}) == [
        "events/x.md:5:9: location: is required for a hybrid event — e.g. location: {name: Bergen"
        " rådhus, address: Rådhusgaten 10, 5014 Bergen}",
        "events/x.md:6:6: end: 2026-03-10 10:00 is not after start (2026-03-10 10:00) — the event"
        " must end after it starts",
        "events/x.md:7:15: registration: needs url or email, e.g. registration: {url:"
        " https://example.org/pamelding}",
        "events/x.md:7:26: registration.deadline: is after the start (2026-03-10 10:00) — set a"
        " deadline before it",
    ]


def test_access_rules(tmp_path):
    files = {
        "briefs/a.md": fm(BRIEF + "access: public\npublic_after: 2027-01-01\n"),
        "briefs/b.md": fm(BRIEF + "access: partners\npublic_after: 2026-02-01\n"),
        "newsletters/p.md": fm(ISSUE + "access: partners\n"),
        "briefs/c.md": fm(BRIEF + "image: images/x.jpg\n"),
    }
    assert problems(tmp_path, files) == [
        "briefs/a.md:6:15: public_after: only applies to partners-only items — delete it, or set"
        " access: partners",
        "briefs/b.md:6:15: public_after: 2026-02-01 is before the item's date (2026-03-01) — give"
        " a later date, or a duration such as '180 days'",
        "briefs/c.md:5:8: image: needs image_alt: a short description of the image",
        "newsletters/p.md:7:9: summary: is required for a partners-only item: it is the public"
        " teaser",
    ]


def test_file_names_and_slugs(tmp_path):
    files = {
        "briefs/Havvind Nord.md": fm(BRIEF),
        "briefs/ok.md": fm(BRIEF + "slug: ../../x\n"),
        "pages/tema.md": fm("title: Tema\n"),
        "pages/Fint.md": fm("title: Fint\nslug: fint\n"),  # a slug: field makes any name fine
    }
    assert problems(tmp_path, files) == [
        "briefs/Havvind Nord.md:1:1: slug: the file name 'Havvind Nord.md' does not make a valid"
        " slug — rename the file havvind-nord.md (lower-case a–z, digits, hyphens), or set slug:",
        "briefs/ok.md:5:7: slug: '../../x' is not a slug — use lower-case a–z, digits and single"
        " hyphens, e.g. 'havvind-i-nordsjoen'",
        "pages/tema.md:1:1: slug: 'tema' is the address of a section list (notat, perspektiv,"
        " arrangement, tema, serie, kommune, fylke, forfattar) — choose another slug",
    ]


def test_cross_item_rules(tmp_path):
    files = {
        "briefs/a.md": fm(BRIEF),
        "briefs/b.md": fm(BRIEF + "slug: a\n"),
        "events/a.md": fm(EVENT),  # same slug, other section: another address, fine
        "newsletters/p-1.md": fm(ISSUE),
        "newsletters/p-2.md": fm(ISSUE + "features: [a, tenk-nyt]\n"),
        "pages/om-nb.md": fm("title: Om\nlang: nb\ntranslation_of: om\n"),
    }
    assert problems(tmp_path, files) == [
        "briefs/b.md:5:7: slug: 'a' is also used by briefs/a.md — give one of them another slug",
        "newsletters/p-2.md:5:9: number: 1 is also the number of newsletters/p-1.md — use 2",
        "newsletters/p-2.md:7:15: features[1]: 'tenk-nyt' is not the slug of any brief or event",
        "pages/om-nb.md:4:17: translation_of: 'om' is not another page in pages/",
    ]


def test_broken_links_and_missing_folder(tmp_path):
    (tmp_path / "content" / "briefs").mkdir(parents=True)
    (tmp_path / "content" / "briefs" / "x.md").symlink_to(tmp_path / "nowhere.md")
    assert problems(tmp_path, {}) == [
        "briefs/x.md:1:1: is not a readable file — a broken link or a folder?"
    ]
    with pytest.raises(InputError, match="the content folder does not exist"):
        load_content(tmp_path / "nope", tmp_path)


def test_publishable_excludes_drafts_and_future_dated(tmp_path):
    loaded = site(
        tmp_path,
        {
            "briefs/now.md": fm(BRIEF),
            "briefs/draft.md": fm(BRIEF + "status: draft\n"),
            "briefs/later.md": fm(BRIEF.replace("2026-03-01", "2026-03-01 12:01")),
            "events/future.md": fm(EVENT.replace("2026-03-10", "2030-01-01")),
        },
    )
    now = datetime(2026, 3, 1, 12, 0, tzinfo=OSLO)
    shown = {i.slug for i in loaded.items if publishable(i, now)}
    assert shown == {"now", "future"}  # an event is announced before it starts
