"""Builds in one process remember calendars, feeds, the registry and compiled templates; an edit
between two builds shows in the second build's output all the same."""

from __future__ import annotations

from pathlib import Path

from tests.build.test_rebuild import CONTENT, NOW, REGISTRY, brief

ROOT = Path(__file__).resolve().parents[2]
JOIN = {"pages/bli-partnar.md": "---\ntitle: Bli partnar\ntemplate: bli-partnar\n---\n\nSlik.\n"}
CALENDARS = ("arrangement/treff/treff.ics", "calendar.ics", "kalender/partnertreff.ics")


def text(site, path: str) -> str:
    return (site.output / path).read_text(encoding="utf-8")


def test_an_edited_event_shows_in_every_calendar_it_is_in(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    assert all("Bergen" in text(site, p) for p in CALENDARS)
    event = CONTENT["events/treff.md"].replace("{name: Bergen}", "{name: Ålesund kulturhus}")
    site.write({"events/treff.md": event}, registry=REGISTRY).build(NOW)
    for path in CALENDARS:
        assert "LOCATION:Ålesund kulturhus" in text(site, path), path
        assert "Bergen" not in text(site, path), path


def test_calendars_and_feeds_carry_the_time_of_the_latest_dated_change(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    first = {p: text(site, p) for p in ("calendar.ics", "atom.xml", "rss.xml")}
    site.build("2026-11-30 12:30")  # nothing changed state: the same bytes
    assert {p: text(site, p) for p in first} == first
    site.build("2026-12-11 09:00")  # the partner meeting ended on 10 December at 12:00
    assert "DTSTAMP:20261210T110000Z" in text(site, "calendar.ics")
    assert "<updated>2026-12-10T12:00:00+01:00</updated>" in text(site, "atom.xml")
    assert "<lastBuildDate>Thu, 10 Dec 2026 12:00:00 +0100</lastBuildDate>" in text(site, "rss.xml")


def test_an_edited_body_shows_in_the_feeds_of_a_preview_rebuild(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    site.write({"briefs/notat-2.md": brief(2, "Nytt frå redaktøren.")}, registry=REGISTRY)
    site.build(NOW)
    for path in ("atom.xml", "rss.xml", "notat/atom.xml", "tema/energi/rss.xml"):
        assert "Nytt frå redaktøren." in text(site, path), path
        assert "Brødtekst 2." not in text(site, path), path


def test_an_edited_registry_shows_in_the_next_build(site):
    site.write(CONTENT | JOIN, registry=REGISTRY).build(NOW)
    assert "50\u202f000" in text(site, "bli-partnar/index.html")
    site.write({}, registry=REGISTRY.replace("fee: 50000", "fee: 55000")).build(NOW)
    assert "55\u202f000" in text(site, "bli-partnar/index.html")
    assert "50\u202f000" not in text(site, "bli-partnar/index.html")


def test_a_template_edited_in_place_is_compiled_again(site, tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"THEME = {str(ROOT / 'themes' / 'kommunepartner')!r}\n"
        f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n",
        encoding="utf-8",
    )
    base = (ROOT / "themes" / "kommunepartner" / "templates" / "base.html").read_text()
    for mark in ("<!-- fyrste mal -->", "<!-- andre mal, lengre -->"):
        (overrides / "base.html").write_text(base.replace("</body>", f"{mark}</body>"))
        site.write(CONTENT, registry=REGISTRY).build(NOW, "--settings", settings)
        assert mark in text(site, "notat/notat-3/index.html")
    assert "fyrste mal" not in text(site, "notat/notat-3/index.html")
