"""How a brief is cited: APA 7 reference, BibTeX, RIS, CSL-JSON, Highwire and Dublin Core tags.

Only public facts go in (title, authors, date, series number, summary, topics, addresses): a
partners-only brief is cited like any other, by its teaser, and has no public PDF.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from kommunepartner.content.items import Item
from kommunepartner.content.series import SeriesNumber

LANGUAGE = {"nn": "nn", "nb": "nb"}  # BCP 47 (CSL, RIS, Dublin Core, Highwire)
LANGID = {"nn": "nynorsk", "nb": "norsk"}  # biblatex/babel names of the two written standards
BIB = "bib"
RIS = "ris"
CSL = "csl.json"
FORMATS = (BIB, RIS, CSL)
MEDIA_TYPES = {BIB: "application/x-bibtex", RIS: "application/x-research-info-systems"}
MEDIA_TYPES[CSL] = "application/vnd.citationstyles.csl+json"


@dataclass(frozen=True)
class Citation:
    """The public facts of one brief that a reference is made from."""

    slug: str
    title: str
    authors: tuple[str, ...]  # as written: "Tor Einar Vik"
    issued: date
    institution: str
    series: str  # the series' name, "Temanotat"; '' for a brief outside a series
    number: str  # "2026:4"; ''
    url: str  # absolute
    pdf_url: str  # absolute; '' when there is no public PDF
    lang: str
    abstract: str
    keywords: tuple[str, ...]

    @property
    def report_number(self) -> str:
        """'Temanotat 2026:4' (APA's "report number", Highwire's citation_technical_report_number)."""
        return f"{self.series} {self.number}".strip() if self.number else ""

    def file_name(self, fmt: str) -> str:
        return f"{self.slug}.{fmt}"


def citation_of(
    item: Item,
    number: SeriesNumber | None,
    series_names: dict[str, str],
    institution: str,
    url: str,
    pdf_url: str = "",
) -> Citation:
    """The Citation of a brief; `series_names` is an interface catalogue (series_<name> keys)."""
    assert item.date is not None
    return Citation(
        slug=item.slug,
        title=item.title,
        authors=tuple(item.meta.get("authors") or ()),
        issued=item.date.date(),
        institution=institution,
        series=series_names[f"series_{number.series}"] if number else "",
        number=number.code if number else "",
        url=url,
        pdf_url=pdf_url,
        lang=item.lang,
        abstract=item.summary_text,
        keywords=tuple(item.meta.get("topics") or ()),
    )


def split_name(name: str) -> tuple[str, str]:
    """'Tor Einar Vik' → ('Vik', 'Tor Einar'): the last word is the family name."""
    words = name.split()
    return (words[-1], " ".join(words[:-1])) if len(words) > 1 else (name, "")


def initials(given: str) -> str:
    """'Tor Einar' → 'T. E.'; 'Jon-Olav' → 'J.-O.' (APA keeps the hyphen)."""
    return " ".join(
        "-".join(f"{part[0]}." for part in word.split("-") if part) for word in given.split()
    )


@dataclass(frozen=True)
class Reference:
    """An APA reference in three runs, so a page can set the title in italics."""

    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.before}{self.title}{self.after}"


def _apa_author(name: str) -> str:
    family, given = split_name(name)
    return f"{family}, {initials(given)}" if given else family


def apa(c: Citation) -> Reference:
    """APA 7, a report by a group or by people (up to 20 names; the 21st on is elided)."""
    names = [_apa_author(a) for a in c.authors]
    if not names:
        who = c.institution  # a group author who is also the publisher: not named twice
    elif len(names) == 1:
        who = names[0]
    elif len(names) <= 20:
        who = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        who = ", ".join(names[:19]) + ", . . . " + names[-1]
    who = who if who.endswith(".") else who + "."
    number = f" ({c.report_number})" if c.report_number else ""
    publisher = f" {c.institution}." if c.authors else ""
    title = c.title if c.title[-1:] in "?!" else c.title
    end = "" if c.title[-1:] in "?!" and not number else "."
    return Reference(f"{who} ({c.issued.year}). ", title, f"{number}{end}{publisher} {c.url}")


def _ascii(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = text.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def cite_key(c: Citation) -> str:
    """'haugland2026havvind': first author's family name (or the institution), year, first word."""
    first = split_name(c.authors[0])[0] if c.authors else c.institution
    word = next((w for w in re.findall(r"\w+", _ascii(c.title)) if len(w) > 3), "notat")
    return re.sub(r"[^a-z0-9]", "", f"{_ascii(first)}{c.issued.year}{word}".lower())


_BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "_": r"\_",
        "$": r"\$",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX field value (UTF-8, as biber reads it): LaTeX's specials escaped."""
    return text.translate(_BIBTEX_SPECIAL)


def bibtex(c: Citation) -> str:
    """One @techreport entry (BibTeX and biblatex both read it)."""
    fields = [
        (
            "author",
            " and ".join(bibtex_escape(", ".join(filter(None, split_name(a)))) for a in c.authors),
        ),
        ("title", "{" + bibtex_escape(c.title) + "}"),  # inner braces keep the capitals
        ("institution", bibtex_escape(c.institution)),
        ("type", bibtex_escape(c.series)),
        ("number", c.number),
        ("year", str(c.issued.year)),
        ("month", str(c.issued.month)),
        ("date", c.issued.isoformat()),
        ("url", c.url),
        ("langid", LANGID.get(c.lang, c.lang)),
        ("abstract", bibtex_escape(c.abstract)),
        ("keywords", bibtex_escape(", ".join(c.keywords))),
    ]
    if not c.authors:
        fields[0] = ("author", "{" + bibtex_escape(c.institution) + "}")
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@techreport{{{cite_key(c)},\n{body}\n}}\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\r\n"


def ris(c: Citation) -> str:
    """One RIS record (type RPRT), tags as the RIS specification names them; CRLF line ends."""
    lines = [_ris_line("TY", "RPRT")]
    for a in c.authors:
        family, given = split_name(a)
        lines.append(_ris_line("AU", f"{family}, {given}" if given else family))
    if not c.authors:
        lines.append(_ris_line("A2", c.institution))
    lines.append(_ris_line("TI", c.title))
    if c.series:
        lines.append(_ris_line("T3", c.series))
    if c.number:
        lines.append(_ris_line("SN", c.report_number))
    lines += [
        _ris_line("PY", str(c.issued.year)),
        _ris_line("DA", c.issued.strftime("%Y/%m/%d")),
        _ris_line("PB", c.institution),
        _ris_line("UR", c.url),
    ]
    if c.pdf_url:
        lines.append(_ris_line("L1", c.pdf_url))
    if c.abstract:
        lines.append(_ris_line("AB", c.abstract))
    lines += [_ris_line("KW", k) for k in c.keywords]
    lines.append(_ris_line("LA", LANGUAGE.get(c.lang, c.lang)))
    lines.append("ER  - \r\n")
    return "".join(lines)


def csl_item(c: Citation) -> dict:
    """The brief as a CSL-JSON item (type report)."""
    data: dict = {
        "id": cite_key(c),
        "type": "report",
        "title": c.title,
        "author": [
            {"family": f, "given": g} if g else {"literal": f}
            for f, g in (split_name(a) for a in c.authors)
        ]
        or [{"literal": c.institution}],
        "issued": {"date-parts": [[c.issued.year, c.issued.month, c.issued.day]]},
        "publisher": c.institution,
        "URL": c.url,
        "language": LANGUAGE.get(c.lang, c.lang),
    }
    if c.number:
        data["genre"] = c.series
        data["number"] = c.number
    if c.abstract:
        data["abstract"] = c.abstract
    if c.keywords:
        data["keyword"] = ", ".join(c.keywords)
    return data


def csl_json(c: Citation) -> str:
    """A CSL-JSON file: an array of one item (what Zotero and citeproc read)."""
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2) + "\n"


def render(c: Citation, fmt: str) -> str:
    return {BIB: bibtex, RIS: ris, CSL: csl_json}[fmt](c)


def highwire_tags(c: Citation) -> tuple[tuple[str, str], ...]:
    """Google Scholar's `citation_*` meta tags for a technical report."""
    tags = [("citation_title", c.title)]
    tags += [("citation_author", a) for a in c.authors]
    tags += [
        ("citation_publication_date", c.issued.strftime("%Y/%m/%d")),
        ("citation_date", c.issued.strftime("%Y/%m/%d")),
        ("citation_technical_report_institution", c.institution),
        ("citation_publisher", c.institution),
    ]
    if c.report_number:
        tags.append(("citation_technical_report_number", c.report_number))
    tags += [
        ("citation_language", LANGUAGE.get(c.lang, c.lang)),
        ("citation_abstract_html_url", c.url),
    ]
    if c.pdf_url:
        tags.append(("citation_pdf_url", c.pdf_url))
    tags += [("citation_keywords", k) for k in c.keywords]
    return tuple(tags)


def dublin_core_tags(c: Citation) -> tuple[tuple[str, str], ...]:
    """Dublin Core elements (DC-HTML: `<meta name="DC.title">`, with the schema.DC link)."""
    tags = [("DC.title", c.title)]
    tags += [("DC.creator", a) for a in c.authors] or [("DC.creator", c.institution)]
    tags += [
        ("DC.date", c.issued.isoformat()),
        ("DC.publisher", c.institution),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.identifier", c.url),
        ("DC.language", LANGUAGE.get(c.lang, c.lang)),
    ]
    if c.abstract:
        tags.append(("DC.description", c.abstract))
    if c.report_number:
        tags.append(("DC.relation.ispartof", c.series))
    tags += [("DC.subject", k) for k in c.keywords]
    return tuple(tags)
