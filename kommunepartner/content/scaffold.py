"""`new`: a content file with a valid front-matter skeleton, named after its title."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from kommunepartner.base.errors import InputError, Problem, shown_path
from kommunepartner.base.slug import slugify

FOLDERS = {"brief": "briefs", "newsletter": "newsletters", "event": "events", "page": "pages"}

# Placeholder text in the item's own written standard.
_TEXT = {
    "nn": {
        "brief_summary": "Éi eller to setningar som blir viste i lister og feeds.",
        "brief_body": "Skriv notatet her.\n\n## Bakgrunn\n\n## Tilrådingar\n",
        "preheader": "Kort tekst som blir vist etter emnefeltet i innboksen.",
        "issue_summary": "Kva dette nummeret handlar om.",
        "issue_body": "Innleiing til nummeret.\n",
        "event_summary": "Kva arrangementet handlar om.",
        "event_body": "Program og praktisk informasjon.\n",
    },
    "nb": {
        "brief_summary": "Én eller to setninger som vises i lister og feeder.",
        "brief_body": "Skriv notatet her.\n\n## Bakgrunn\n\n## Anbefalinger\n",
        "preheader": "Kort tekst som vises etter emnefeltet i innboksen.",
        "issue_summary": "Hva dette nummeret handler om.",
        "issue_body": "Innledning til nummeret.\n",
        "event_summary": "Hva arrangementet handler om.",
        "event_body": "Program og praktisk informasjon.\n",
    },
}


def _quote(s: str) -> str:
    """A YAML double-quoted string: safe for titles with colons, quotes or '#'."""
    escaped = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ")
    return f'"{escaped}"'


def skeleton(kind: str, title: str, lang: str, now: datetime, number: int = 1) -> str:
    """The text of a new file; every field it writes is valid as it stands."""
    t = _TEXT[lang]
    day = now.strftime("%Y-%m-%d")
    head = [f"title: {_quote(title)}"]
    if kind == "brief":
        head += [
            f"date: {day}",
            f"summary: {_quote(t['brief_summary'])}",
            "authors: [Ola Nordmann]",
            "topics: [energi]",
            "series: policy-brief",
            f"lang: {lang}",
            "status: draft            # delete this line to publish",
            "# access: partners       # or public; the default comes from partners.yaml",
        ]
        body = t["brief_body"]
    elif kind == "newsletter":
        head += [
            f"date: {day}",
            "newsletter: perspektiv",
            f"number: {number}",
            f"preheader: {_quote(t['preheader'])}",
            f"summary: {_quote(t['issue_summary'])}",
            "features: []             # slugs of briefs and events shown as cards",
            f"lang: {lang}",
            "status: draft            # delete this line to publish",
        ]
        body = t["issue_body"]
    elif kind == "event":
        start = (now + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
        head += [
            f"start: {start:%Y-%m-%d %H:%M}",
            f"end: {start + timedelta(hours=2):%Y-%m-%d %H:%M}",
            "series: tenk-nytt        # or partnertreff, erfaringsdeling, webinar, konferanse",
            "format: digital          # or fysisk, hybrid (these need a location)",
            f"summary: {_quote(t['event_summary'])}",
            "# online_url: https://example.org/mote    # shown to partners only",
            "# location: {name: Bergen rådhus, address: Rådhusgaten 10, 5014 Bergen}",
            f"lang: {lang}",
            "status: draft            # delete this line to publish",
        ]
        body = t["event_body"]
    else:
        head += [f"lang: {lang}", "status: draft            # delete this line to publish"]
        body = "\n"
    return "---\n" + "\n".join(head) + "\n---\n\n" + body


def next_number(folder: Path) -> int:
    """One more than the highest `number:` among the newsletter issues already written."""
    numbers = [0]
    for path in folder.glob("*.md") if folder.is_dir() else []:
        found = re.search(r"^number:\s*(\d+)\s*$", path.read_text("utf-8", "replace"), re.M)
        if found:
            numbers.append(int(found.group(1)))
    return max(numbers) + 1


def scaffold(kind: str, title: str, content_dir: Path, lang: str, now: datetime) -> Path:
    """Write content/<section>/<slug>.md; refuse to overwrite an existing file."""
    if not title.strip():
        raise InputError(
            Problem("TITLE", message='is empty — give a title, e.g. "Havvind og kommunane"')
        )
    folder = content_dir / FOLDERS[kind]
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise InputError(
            Problem(
                shown_path(path),
                message="already exists and was left as it is — edit that file,"
                " or choose another title",
            )
        )
    number = next_number(folder) if kind == "newsletter" else 1
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(skeleton(kind, title, lang, now, number))
    return path
