"""A seeded generator of realistic content folders (briefs, events, newsletter issues, partners).

`python bench/corpus.py 1000 bench/corpora/1000` writes content/ and partners.yaml that
`./tasks.py check` accepts. The same seed and size always give the same bytes.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kommunepartner.base.kommuner import reference

ROOT = Path(__file__).resolve().parents[1]

NOW = "2026-11-30 12:00"  # every build of a corpus uses this --now, so output is reproducible
SIZES = (100, 1_000, 3_000)
PARTNERS_SHARE = 0.2  # about a fifth of the briefs are partners-only

TOPICS = (
    "energi", "havvind", "samferdsel", "næringsutvikling", "kraftnett", "areal", "bustad",
    "klima", "beredskap", "demografi", "kompetanse", "oppvekst", "helse", "havbruk",
    "reiseliv", "digitalisering", "økonomi", "interkommunalt samarbeid", "ferje", "hydrogen",
)  # fmt: skip
WORDS = (
    "kommunen", "fylket", "regionen", "straumnettet", "arbeidsplassar", "hamna", "planen",
    "kostnadene", "innbyggjarane", "næringslivet", "utbygginga", "konsesjonen", "tilskotet",
    "samarbeidet", "kapasiteten", "etterspurnaden", "investeringane", "vedtaket", "staten",
    "utgreiinga", "arealet", "vegen", "ferja", "tunnelen", "bustadene", "skulen", "kompetansen",
    "leverandørane", "prosjektet", "tiltaket", "er", "vil", "kan", "må", "bør", "skal", "gjev",
    "krev", "aukar", "reduserer", "styrkjer", "endrar", "planlegg", "vurderer", "prioriterer",
    "finansierer", "og", "men", "fordi", "når", "medan", "dersom", "sjølv om", "slik at",
    "i", "på", "for", "med", "til", "frå", "om", "mellom", "etter", "innan", "utan", "langs",
    "nye", "store", "lokale", "regionale", "nasjonale", "viktige", "raske", "langsiktige",
    "grøne", "tunge", "små", "felles", "offentlege", "private", "konkrete", "usikre",
    "truleg", "allereie", "berre", "òg", "no", "seinare", "tidleg", "særleg", "samla",
)  # fmt: skip
AUTHORS = (
    "Ingrid Haugland", "Ola Vik", "Kari Nesheim", "Lars Bakke", "Solveig Aarseth",
    "Eirik Brekke", "Marte Skaar", "Håkon Lie", "Randi Sunde", "Nils Tveit",
)  # fmt: skip
EVENT_SERIES = ("tenk-nytt", "partnertreff", "erfaringsdeling", "webinar", "konferanse")
PLACES = ("Bergen", "Stavanger", "Ålesund", "Førde", "Haugesund", "Molde", "Voss", "Leikanger")


@dataclass(frozen=True)
class Corpus:
    """A generated content folder and its registry."""

    root: Path
    briefs: int
    events: int
    newsletters: int
    partners_only: int

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def partners(self) -> Path:
        return self.root / "partners.yaml"

    @property
    def files(self) -> int:
        return self.briefs + self.events + self.newsletters + 2  # + two pages


class _Writer:
    """One seeded random stream turned into front matter and Markdown."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.kommuner = sorted(n for n, m in reference().items() if not m.is_county)

    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        words = self.rnd.choices(WORDS, k=self.rnd.randint(lo, hi))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self) -> str:
        return self.sentence(4, 9).rstrip(".").replace(" og ", ": ", 1)

    def when(self, start: datetime, days: int) -> datetime:
        return start + timedelta(days=self.rnd.randrange(days), minutes=15 * self.rnd.randrange(96))

    def body(self, words: int, slugs: list[str]) -> str:
        """About `words` words: sections, a table, a list, links inside and outside the site."""
        parts: list[str] = []
        count = 0
        section = 0
        while count < words:
            section += 1
            parts.append(f"## {self.title()}")
            para = self.paragraph(self.rnd.randint(3, 6))
            if slugs:
                target = self.rnd.choice(slugs)
                para += f" Sjå òg [notatet om dette](/notat/{target}/)."
            para += f" Kjelde: [SSB](https://www.ssb.no/statbank/table/{1000 + section})."
            parts.append(para)
            if section == 2:
                parts.append(self.table())
            elif section == 3:
                items = [
                    f"- **{self.rnd.choice(TOPICS)}**: {self.sentence(5, 10)}" for _ in range(4)
                ]
                parts.append("\n".join(items))
            parts.append(self.paragraph(self.rnd.randint(2, 5)))
            count = sum(len(p.split()) for p in parts)
        return "\n\n".join(parts) + "\n"

    def table(self) -> str:
        rows = ["| Kommune | Innbyggjarar | Endring (%) |", "| --- | ---: | ---: |"]
        ref = reference()
        for number in self.rnd.sample(self.kommuner, 5):
            change = self.rnd.uniform(-3, 5)
            rows.append(f"| {ref[number].name} | {ref[number].population} | {change:.1f} |")
        return "\n".join(rows)


def _q(text: str) -> str:
    """A double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _brief(w: _Writer, number: int, slugs: list[str]) -> tuple[str, bool]:
    when = w.when(datetime(2023, 1, 2), 1_400)
    partners = w.rnd.random() < PARTNERS_SHARE
    lines = [
        "---",
        f"title: {_q(w.title())}",
        f"date: {when:%Y-%m-%d %H:%M:%S}",
        f"summary: {_q(w.sentence(15, 30))}",
        f"authors: [{', '.join(w.rnd.sample(AUTHORS, w.rnd.randint(1, 2)))}]",
        f"topics: [{', '.join(w.rnd.sample(TOPICS, w.rnd.randint(1, 3)))}]",
        f"lang: {w.rnd.choice(('nn', 'nn', 'nb'))}",
        f"kommuner: [{', '.join(w.rnd.sample(w.kommuner, w.rnd.randint(1, 3)))}]",
    ]
    if number % 4 == 0:
        lines += ["series: policy-brief", f"number: {number // 4}"]
    if partners:
        lines.append("access: partners")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + w.body(800, slugs), partners


def _event(w: _Writer, number: int) -> str:
    start = w.when(datetime(2024, 1, 8, 9), 1_000)
    fmt = w.rnd.choice(("digital", "fysisk", "hybrid"))
    lines = [
        "---",
        f"title: {_q(w.title())}",
        f"start: {start:%Y-%m-%d %H:%M:%S}",
        f"end: {start + timedelta(hours=2):%Y-%m-%d %H:%M:%S}",
        f"series: {w.rnd.choice(EVENT_SERIES)}",
        f"format: {fmt}",
        f"summary: {_q(w.sentence(10, 20))}",
        f"topics: [{', '.join(w.rnd.sample(TOPICS, 2))}]",
    ]
    if fmt != "digital":
        place = w.rnd.choice(PLACES)
        lines.append(f"location: {{name: {_q(place + ' rådhus')}, address: {_q(place)}}}")
    lines.append(f"registration: {{email: pamelding{number}@example.org}}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + w.paragraph(6) + "\n\n" + w.paragraph(4) + "\n"


def _newsletter(w: _Writer, number: int, when: datetime, features: list[str]) -> str:
    lines = [
        "---",
        f"title: {_q(f'Perspektiv {number}: ' + w.title())}",
        f"date: {when:%Y-%m-%d %H:%M:%S}",
        "newsletter: perspektiv",
        f"number: {number}",
        f"preheader: {_q(w.sentence(6, 12))}",
        f"summary: {_q(w.sentence(10, 20))}",
        f"features: [{', '.join(features)}]",
        "---",
    ]
    return "\n".join(lines) + "\n\n" + w.paragraph(5) + "\n\n" + w.paragraph(3) + "\n"


def _registry(w: _Writer, partners: int) -> str:
    lines = [
        "# Generated by bench/corpus.py: fictional contacts, example.org addresses only.",
        "fee_tiers:",
        "  - {min_population: 0, max_population: 4999, fee: 50000}",
        "  - {min_population: 5000, max_population: 19999, fee: 65000}",
        "  - {min_population: 20000, max_population: 49999, fee: 80000}",
        "  - {min_population: 50000, fee: 100000}",
        "access:",
        "  briefs: {default: public}",
        "  newsletters: {default: public}",
        "  events: {default: public}",
        "partners:",
    ]
    statuses = ("active", "active", "active", "pilot", "paused", "ended")
    for i, number in enumerate(w.rnd.sample(w.kommuner, partners)):
        lines += [
            f'  - kommune: "{number}"',
            f"    status: {statuses[i % len(statuses)]}",
            "    since: 2024-01-01",
            f"    key_version: {1 + i % 3}",
            "    contacts:",
        ]
        for c in range(1 + i % 4):
            lines.append(
                f"      - {{name: Kontakt {i}-{c}, email: kontakt{i}.{c}@k{number}.example.org,"
                " role: rådgjevar}"
            )
    return "\n".join(lines) + "\n"


def generate(briefs: int, root: Path, seed: int = 8) -> Corpus:
    """Write root/content and root/partners.yaml for `briefs` briefs (events and issues scale)."""
    w = _Writer(seed * 1_000_003 + briefs)
    content = root / "content"
    for section in ("briefs", "events", "newsletters", "pages"):
        (content / section).mkdir(parents=True, exist_ok=True)
    slugs = [f"notat-{n:05d}" for n in range(1, briefs + 1)]
    partners_only = 0
    for n, slug in enumerate(slugs, start=1):
        text, locked = _brief(w, n, slugs)
        partners_only += locked
        (content / "briefs" / f"{slug}.md").write_text(text, encoding="utf-8")
    events = max(5, briefs // 10)
    for n in range(1, events + 1):
        (content / "events" / f"arrangement-{n:04d}.md").write_text(_event(w, n), encoding="utf-8")
    issues = max(3, briefs // 25)
    for n in range(1, issues + 1):
        when = datetime(2023, 1, 15) + timedelta(days=1_400 * (n - 1) // issues)
        features = w.rnd.sample(slugs, min(6, len(slugs)))
        text = _newsletter(w, n, when, features)
        (content / "newsletters" / f"perspektiv-{n:03d}.md").write_text(text, encoding="utf-8")
    for slug, title in (("om", "Om Kommunepartner"), ("bli-partnar", "Bli partnar")):
        page = f'---\ntitle: "{title}"\n---\n\n{w.paragraph(6)}\n'
        (content / "pages" / f"{slug}.md").write_text(page, encoding="utf-8")
    (root / "partners.yaml").write_text(_registry(w, min(40, 8 + briefs // 25)), encoding="utf-8")
    return Corpus(root, briefs, events, issues, partners_only)


def main(argv: list[str]) -> None:
    size = int(argv[1]) if len(argv) > 1 else 100
    root = Path(argv[2]) if len(argv) > 2 else ROOT / "bench" / "corpora" / str(size)
    corpus = generate(size, root)
    print(f"{corpus.files} files in {corpus.content} ({corpus.partners_only} partners-only briefs)")


if __name__ == "__main__":
    main(sys.argv)
