"""`new`: a content file with a valid front-matter skeleton, named after its title."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from .errors import InputError, Problem
from .slug import slugify

FOLDERS = {"brief": "briefs", "newsletter": "newsletters", "event": "events", "page": "pages"}


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def skeleton(kind: str, title: str, lang: str, now: datetime) -> str:
    """The text of a new file; every field it writes is valid as it stands."""
    day = now.strftime("%Y-%m-%d")
    head = [f"title: {_quote(title)}"]
    if kind == "brief":
        head += [
            f"date: {day}",
            'summary: "Éi eller to setningar som blir viste i lister og feeds."',
            "authors: [Ola Nordmann]",
            "topics: [energi]",
            "series: policy-brief",
            f"lang: {lang}",
            "status: draft",
            "# access: partners    # or public; default from partners.yaml",
        ]
        body = "Skriv notatet her.\n\n## Bakgrunn\n\n## Tilrådingar\n"
    elif kind == "newsletter":
        head += [
            f"date: {day}",
            "newsletter: perspektiv",
            "number: 1",
            'preheader: "Kort tekst som blir vist etter emnefeltet i innboksen."',
            'summary: "Kva dette nummeret handlar om."',
            "features: []",
            f"lang: {lang}",
            "status: draft",
        ]
        body = "Innleiing til nummeret.\n"
    elif kind == "event":
        start = (now + timedelta(days=30)).replace(hour=10, minute=0)
        head += [
            f"start: {start:%Y-%m-%d %H:%M}",
            f"end: {start + timedelta(hours=2):%Y-%m-%d %H:%M}",
            "series: tenk-nytt",
            "format: digital",
            'summary: "Kva arrangementet handlar om."',
            "# online_url: https://example.org/mote    # partners only",
            "# location: {name: Bergen rådhus, address: Rådhusgaten 10, 5014 Bergen}",
            f"lang: {lang}",
            "status: draft",
        ]
        body = "Program og praktisk informasjon.\n"
    else:
        head += [f"lang: {lang}"]
        body = "\n"
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


def scaffold(kind: str, title: str, content_dir: Path, lang: str, now: datetime) -> Path:
    """Write content/<section>/<slug>.md; refuse to overwrite an existing file."""
    if not title.strip():
        raise InputError(Problem("TITLE", message='give a title, e.g. "Havvind og kommunane"'))
    path = content_dir / FOLDERS[kind] / f"{slugify(title)}.md"
    if path.exists():
        raise InputError(
            Problem(str(path), message="already exists — choose another title or edit that file")
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, title, lang, now), encoding="utf-8")
    return path
