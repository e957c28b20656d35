"""A public brief as a print-ready A4 PDF (WeasyPrint), cached by everything it shows.

The print HTML is made from the theme's `print/brief.html.j2` and `print.css`; the PDF is made
again only when that HTML, a picture it shows or the WeasyPrint version changed: the cache (a
folder of `<sha256>.pdf`, under the state folder) is keyed by all of them. WeasyPrint reads no
file and no address but the pictures it is handed (content is untrusted for file-system reach).
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from lxml import html as lxml_html
from markupsafe import Markup

from kommunepartner.outputs.citation import Reference

log = logging.getLogger(__name__)

PRINT = Path(__file__).resolve().parents[2] / "themes" / "kommunepartner" / "print"
SUFFIX = ".pdf"
KEEP_UNUSED = 14 * 24 * 3600  # seconds a cached PDF that no build uses is kept


@dataclass(frozen=True)
class PrintBrief:
    """Everything one brief's PDF shows, as plain values."""

    lang: str
    title: str
    number: str  # 'Temanotat 2026:4'; ''
    authors: tuple[str, ...]
    date_text: str  # '2. mars 2026'
    date_iso: str
    summary: str
    keywords: tuple[str, ...]
    body_html: str  # the page's body: links absolute, footnotes inline (see print_body)
    url: str  # the web version
    reference: Reference
    programme: str
    tagline: str
    institution: str
    labels: Mapping[str, str]
    picture: str = ""  # a key of `pictures` (the brief's own picture), or ''
    picture_alt: str = ""
    pictures: Mapping[str, Path] = field(default_factory=dict)  # address in the HTML → file


_FOOTNOTE_REF = re.compile(r"^fnref\d*:")


def print_body(body_html: str, page_url: str) -> str:
    """The body for print: each link absolute (it is printed), each footnote at its reference.

    Python-Markdown puts footnotes in a list at the end (`div.footnote`); WeasyPrint sets an
    element with `float: footnote` at the foot of the page where it is referenced.
    """
    if not body_html.strip():
        return body_html
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    notes: dict[str, str] = {}
    for block in root.xpath('.//div[@class="footnote"]'):
        for li in block.xpath(".//li[@id]"):
            for back in li.xpath('.//a[contains(concat(" ", @class, " "), " footnote-backref ")]'):
                back.drop_tree()
            parts = [_inner(p) for p in li.xpath("./p")] or [_inner(li)]
            notes[li.get("id")] = "<br>".join(p.strip().rstrip("\xa0").strip() for p in parts)
        block.drop_tree()
    for sup in root.xpath("//sup[@id]"):
        target = sup.get("id")
        if not _FOOTNOTE_REF.match(target):
            continue
        note_id = "fn:" + target.split(":", 1)[1]
        note = notes.pop(note_id, None)  # a note referenced twice is set once, at the first
        if note is None:
            sup.drop_tree()
            continue
        span = lxml_html.fragment_fromstring(f'<span class="footnote">{note}</span>')
        span.tail = sup.tail
        sup.getparent().replace(sup, span)
    for a in root.xpath('//a[starts-with(@href, "#")]'):
        a.attrib.pop("href")  # an anchor means nothing on paper
    root.make_links_absolute(page_url, resolve_base_href=False)
    return _inner(root)


def _inner(el) -> str:
    return (el.text and _escape(el.text) or "") + "".join(
        lxml_html.tostring(c, encoding="unicode") for c in el
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def css_string(text: str) -> Markup:
    """A CSS string literal ("…") of any text, for a margin box's content."""
    escaped = "".join(c if c.isalnum() or c in " .,:;·–-/()" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PRINT)), autoescape=True, keep_trailing_newline=True
    )
    env.filters["css_string"] = css_string
    return env


def print_html(brief: PrintBrief) -> str:
    """The document WeasyPrint lays out (the stylesheet inline: the key covers it too)."""
    css = (PRINT / "print.css").read_text(encoding="utf-8")
    return _environment().get_template("brief.html.j2").render(b=brief, css=css)


def pdf_key(document: str, pictures: Mapping[str, Path]) -> str:
    """The cache key: the print HTML, each picture's bytes and the WeasyPrint version."""
    h = hashlib.sha256()
    h.update(version("weasyprint").encode())
    h.update(b"\0" + document.encode("utf-8"))
    for address in sorted(pictures):
        h.update(b"\0" + address.encode("utf-8") + b"\0" + pictures[address].read_bytes())
    return h.hexdigest()


def render_pdf(document: str, base_url: str, pictures: Mapping[str, Path]) -> bytes:
    """Lay out one print HTML document as PDF bytes (WeasyPrint, imported on first use)."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PicturesOnly(URLFetcher):
        """The pictures handed in, nothing else: no file, no network."""

        def fetch(self, url, headers=None):
            path = pictures.get(url)
            if path is None:
                raise ValueError(f"not fetched for a PDF: {url}")
            return URLFetcherResponse(url, path.read_bytes())

    weasy_log = logging.getLogger("weasyprint")
    level = weasy_log.level
    weasy_log.setLevel(logging.CRITICAL)  # "not fetched" for anything else is the point
    try:
        return weasyprint.HTML(
            string=document, base_url=base_url, url_fetcher=PicturesOnly()
        ).write_pdf()
    finally:
        weasy_log.setLevel(level)


@dataclass(frozen=True)
class PdfJob:
    """One PDF to put at `target` (relative to the output folder)."""

    target: str
    document: str
    base_url: str
    pictures: Mapping[str, Path]

    @property
    def key(self) -> str:
        return pdf_key(self.document, self.pictures)


class PdfCache:
    """PDFs by key in one folder (the state folder's `pdf/`), written whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def put(self, key: str, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pdf-", dir=self.folder)
        os.fchmod(fd, 0o644)  # served as it is: readable like every other output file
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, self.path(key))
        return self.path(key)

    def used(self, key: str) -> None:
        """Mark a cached PDF as used now (what `keep_only` goes by)."""
        os.utime(self.path(key))

    def keep_only(self, keys: set[str], unused_for: float = KEEP_UNUSED) -> int:
        """Delete every cached PDF not in `keys` and not used for `unused_for` seconds (another
        build sharing the state folder, e.g. `serve` beside a production build, keeps its own).
        How many were deleted."""
        gone, now = 0, time.time()
        for p in self.folder.glob(f"*{SUFFIX}") if self.folder.is_dir() else []:
            if p.name[: -len(SUFFIX)] not in keys and now - p.stat().st_mtime > unused_for:
                p.unlink(missing_ok=True)
                gone += 1
        return gone


@dataclass
class PdfReport:
    rendered: list[str] = field(default_factory=list)  # targets laid out now
    reused: list[str] = field(default_factory=list)  # targets taken from the cache
    later: list[tuple[PdfJob, str]] = field(default_factory=list)  # (job, key) left to the caller


PARALLEL_FROM = 3  # fewer PDFs to make are made in this process (a pool costs a fork each)


def write_pdfs(
    jobs: Sequence[PdfJob],
    cache_: PdfCache,
    out: Path,
    workers: int | None = None,
    later: bool = False,
) -> PdfReport:
    """Put every job's PDF into `out`: from the cache when its key is there, else made now
    (on `workers` processes when there are several to make, e.g. a first build). With `later`,
    the PDFs not in the cache are not made but left in the report for the caller to make."""
    report = PdfReport()
    keyed = [(job, job.key) for job in jobs]
    todo = {key: job for job, key in keyed if not cache_.has(key)}
    if later:
        report.later = [(job, key) for key, job in todo.items()]
    else:
        for key, data in zip(todo, _render_all(list(todo.values()), workers)):
            cache_.put(key, data)
    for job, key in keyed:
        if key not in todo:
            report.reused.append(job.target)
            cache_.used(key)
        elif not later:
            report.rendered.append(job.target)
        if cache_.has(key):
            place(cache_.path(key), out / job.target)
    cache_.keep_only({key for _, key in keyed})
    return report


def _render_all(jobs: list[PdfJob], workers: int | None) -> list[bytes]:
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [_render_job(job) for job in jobs]
    import weasyprint  # noqa: F401  (imported once here; the forked workers inherit it)

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_render_job, jobs, chunksize=1)


def _render_job(job: PdfJob) -> bytes:
    return render_pdf(job.document, job.base_url, job.pictures)


def place(source: Path, target: Path) -> None:
    """`target` becomes `source`'s file, whole at once: a hard link where the file system
    allows (the cache and the output on one disk), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.new")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        tmp.write_bytes(source.read_bytes())
    os.replace(tmp, target)


def spec_of(jobs: Sequence[tuple[PdfJob, str]], cache_: PdfCache, built: Path, root: Path) -> dict:
    """What `python -m kommunepartner.outputs.pdf` needs to make `jobs` in another process.

    The pictures are in the folder `built` now and under `root` (the output) when that process
    reads them: they go by their path relative to both.
    """
    return {
        "cache": str(cache_.folder),
        "root": str(root),
        "jobs": [
            {
                "key": key,
                "document": job.document,
                "base_url": job.base_url,
                "pictures": {a: str(p.relative_to(built)) for a, p in job.pictures.items()},
            }
            for job, key in jobs
        ],
    }


def main(argv: list[str]) -> int:
    """Make the PDFs a spec file names into the cache (a preview's background step)."""
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    cache_, root = PdfCache(Path(spec["cache"])), Path(spec["root"])
    for job in spec["jobs"]:
        pictures = {a: root / p for a, p in job["pictures"].items()}
        cache_.put(job["key"], render_pdf(job["document"], job["base_url"], pictures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))


def absolute_url(site_url: str, path: str) -> str:
    return urljoin(site_url.rstrip("/") + "/", path.lstrip("/"))
