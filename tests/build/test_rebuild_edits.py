"""Builds in one process remember parts of the output; an edit between two builds shows in the
second build's output all the same."""

from __future__ import annotations

from tests.build.test_rebuild import CONTENT, NOW, REGISTRY

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
