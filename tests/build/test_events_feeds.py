"""A built fixture site: every feed, calendar, JSON-LD block, the sitemap and the search index.

The fixture (tests/fixtures/sites/events/) is built once for this module on 2026-03-01.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC
from pathlib import Path

import feedparser
import icalendar
import ics
import pytest

from tests.conftest import FIXTURES, build_fixture_site, output_texts

SITE = FIXTURES / "sites" / "events"
BASE = "http://127.0.0.1:8000"  # SITEURL of pelicanconf.py
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
PUBLISHED = {
    "notat/open-brief/",
    "notat/open-brief-nb/",
    "notat/locked-brief/",
    "perspektiv/perspektiv-1/",
    "arrangement/before-spring/",
    "arrangement/after-spring/",
    "arrangement/over-the-night/",
    "arrangement/before-autumn/",
    "arrangement/after-autumn/",
}
PARTNERS_ONLY = {"notat/locked-brief/", "arrangement/after-autumn/"}
# UID → (start, end) in UTC: both sides of 29 March and 25 October 2026.
UTC_TIMES = {
    "events-before-spring": ("2026-03-28T09:00:00+00:00", "2026-03-28T10:30:00+00:00"),
    "events-after-spring": ("2026-03-29T08:00:00+00:00", "2026-03-29T13:00:00+00:00"),
    "events-over-the-night": ("2026-03-28T21:00:00+00:00", "2026-03-29T02:00:00+00:00"),
    "events-before-autumn": ("2026-10-24T08:00:00+00:00", "2026-10-24T10:00:00+00:00"),
    "events-after-autumn": ("2026-10-25T09:00:00+00:00", "2026-10-25T11:00:00+00:00"),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("events-site"), SITE, "2026-03-01 12:00")


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)


def test_every_feed_parses_with_the_expected_entries(out):
    feeds = sorted([*out.rglob("atom.xml"), *out.rglob("rss.xml")])
    folders = {str(p.parent.relative_to(out)) for p in feeds}
    assert folders == {
        *(".", "notat", "perspektiv", "arrangement", "tema/energi", "tema/smakraft"),
        *("serie/policy-brief", "serie/temanotat", "kommune/4601-bergen", "fylke/vestland"),
    }
    expected = {
        ".": PUBLISHED,
        "notat": {p for p in PUBLISHED if p.startswith("notat/")},
        "perspektiv": {"perspektiv/perspektiv-1/"},
        "arrangement": {p for p in PUBLISHED if p.startswith("arrangement/")},
        "tema/energi": {"notat/open-brief/", "notat/open-brief-nb/", "notat/locked-brief/"},
        "tema/smakraft": {"notat/open-brief/"},
        "serie/policy-brief": set(),  # empty, but a subscription made today keeps working
        "serie/temanotat": set(),
        # Bergen (a partner) and its county: the partners-only items about it, as teasers.
        "kommune/4601-bergen": {"notat/locked-brief/", "arrangement/after-autumn/"},
        "fylke/vestland": {"notat/locked-brief/", "arrangement/after-autumn/"},
    }
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path.name == "atom.xml" else "rss20")
        entries = {e.link.removeprefix(f"{BASE}/"): e for e in parsed.entries}
        assert set(entries) == expected[str(path.parent.relative_to(out))], path
        for link, entry in entries.items():
            assert entry.summary, (path, link)
            assert ("content" in entry) == (link not in PARTNERS_ONLY), (path, link)


def test_every_calendar_parses_with_both_parsers_at_the_right_utc_times(out):
    files = sorted(out.rglob("*.ics"))
    assert len(files) == 5 + 1 + 5 + 2  # one per event, calendar.ics, per series, per place
    seen: dict[str, set[str]] = {}
    for path in files:
        data = path.read_bytes()
        cal = icalendar.Calendar.from_ical(data)
        events = cal.walk("VEVENT")
        if events:
            assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
        other = {e.uid: e for e in ics.Calendar(data.decode("utf-8")).events}
        for ev in events:
            uid = str(ev["uid"]).removesuffix("@127.0.0.1")
            start, end = UTC_TIMES[uid]
            assert ev.decoded("dtstart").astimezone(UTC).isoformat() == start
            assert ev.decoded("dtend").astimezone(UTC).isoformat() == end
            twin = other[str(ev["uid"])]
            assert (twin.begin.to("utc").isoformat(), twin.end.to("utc").isoformat()) == (
                start,
                end,
            )
            seen.setdefault(str(path.relative_to(out)), set()).add(uid)
        assert b"meet.example.org" not in data and b"PRIVATESENTINEL" not in data
    assert seen["calendar.ics"] == set(UTC_TIMES)
    assert seen["kalender/partnertreff.ics"] == {"events-after-spring", "events-before-autumn"}
    assert seen["arrangement/over-the-night/over-the-night.ics"] == {"events-over-the-night"}
    assert "kalender/webinar.ics" not in seen  # an empty but valid calendar
    assert seen["kommune/4601-bergen/kalender.ics"] == {"events-after-autumn"}
    assert seen["fylke/vestland/kalender.ics"] == {"events-after-autumn"}


REQUIRED = {
    "Article": {"headline", "datePublished", "author", "publisher", "url", "description"},
    "Event": {"name", "startDate", "location", "eventAttendanceMode", "eventStatus", "url"},
    "WebSite": {"name", "url", "potentialAction"},
    "WebPage": {"name", "url"},
    "CollectionPage": {"name", "url"},
    "SearchResultsPage": {"name", "url"},
}


def test_jsonld_on_every_page_parses_and_has_the_required_fields(out):
    types = {}
    for path in html_pages(out):
        blocks = JSONLD.findall(path.read_text(encoding="utf-8"))
        assert len(blocks) == 1, path
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org"
        assert REQUIRED[data["@type"]] <= data.keys(), path
        types[str(path.relative_to(out))] = data
    assert types["index.html"]["@type"] == "WebSite"
    assert types["notat/open-brief/index.html"]["isAccessibleForFree"] is True
    locked = types["notat/locked-brief/index.html"]
    assert (
        locked["isAccessibleForFree"] is False
        and locked["description"] == "Teaser som alle kan lese."
    )
    event = types["arrangement/over-the-night/index.html"]
    assert event["startDate"] == "2026-03-28T22:00:00+01:00"
    assert event["endDate"] == "2026-03-29T04:00:00+02:00"
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert types["notat/index.html"]["@type"] == "CollectionPage"


def test_sitemap_holds_published_pages_only_and_robots_points_to_it(out):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    urls = {u.findtext("s:loc", namespaces=ns).removeprefix(f"{BASE}/") for u in root}
    assert urls >= PUBLISHED
    assert {"", "notat/", "arrangement/", "perspektiv/", "tema/", "om/"} <= urls
    assert not {u for u in urls if any(w in u for w in ("draft", "future", "sok", "404"))}
    assert f"Sitemap: {BASE}/sitemap.xml" in (out / "robots.txt").read_text()


def test_every_page_announces_the_feeds_and_the_canonical_address(out):
    for path in html_pages(out):
        text = path.read_text(encoding="utf-8")
        assert (
            f'type="application/atom+xml" title="Kommunepartner – Alt nytt (Atom)" href="{BASE}/atom.xml"'
            in text
        ), path
        assert f'href="{BASE}/rss.xml"' in text, path
        if path.name != "404.html":
            assert '<link rel="canonical"' in text, path
    event = (out / "arrangement/after-spring/index.html").read_text(encoding="utf-8")
    assert (
        f'type="text/calendar" title="Kommunepartner – Arrangement" href="{BASE}/calendar.ics"'
        in event
    )
    assert f'href="{BASE}/arrangement/atom.xml"' in event
    for hidden in ("404.html", "sok/index.html"):
        assert '<meta name="robots" content="noindex">' in (out / hidden).read_text(), hidden
    assert "noindex" not in event
    topic = (out / "tema/energi/index.html").read_text(encoding="utf-8")
    assert f'href="{BASE}/tema/energi/atom.xml"' in topic


def test_hreflang_links_the_nynorsk_and_bokmal_versions_both_ways(out):
    pair = {
        f'<link rel="alternate" hreflang="nn" href="{BASE}/notat/open-brief/">',
        f'<link rel="alternate" hreflang="nb" href="{BASE}/notat/open-brief-nb/">',
    }
    for page in ("notat/open-brief/index.html", "notat/open-brief-nb/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert all(text.count(link) == 1 for link in pair), page
        assert text.count('<link rel="alternate" hreflang=') == 2, page
    assert "hreflang" not in (out / "notat/locked-brief/index.html").read_text(encoding="utf-8")


def test_event_page_shows_oslo_time_place_registration_and_a_sealed_online_link(out):
    page = (out / "arrangement/after-spring/index.html").read_text(encoding="utf-8")
    assert "søndag 29. mars 2026 kl. 10.00–15.00" in page
    assert "Bergen rådhus<br>Rådhusgaten 10, 5014 Bergen" in page
    assert 'href="mailto:pamelding@example.org"' in page and "40 plassar" in page
    assert f'href="{BASE}/kalender/partnertreff.ics"' in page
    digital = (out / "arrangement/before-spring/index.html").read_text(encoding="utf-8")
    assert digital.count('data-kp-part="online_url"') == 1
    assert '"item":"events/before-spring#online_url"' in digital


def test_no_online_url_nor_partners_only_text_anywhere(out):
    hits = {
        str(p.relative_to(out))
        for p, text in output_texts(out)
        if "meet.example.org" in text or "privatesentinel" in text.lower()
    }
    assert hits == set()


def fragments(out: Path) -> dict[str, str]:
    found = {}
    for path in (out / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[len(b"pagefind_dcd") :])
        found[data["url"]] = data["content"]
    return found


def test_search_index_has_public_text_and_teasers_but_no_partners_only_body(out):
    found = fragments(out)
    assert set(found) == {f"/{p}" for p in PUBLISHED} | {"/om/"}
    assert "kvitsymre" in found["/notat/open-brief/"]
    assert "Teaser som alle kan lese" in found["/notat/locked-brief/"]
    assert not [url for url, text in found.items() if "raudsymre" in text]
    assert not [url for url, text in found.items() if "Hopp til" in text or "Søk på" in text]
