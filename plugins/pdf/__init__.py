"""Pelican plugin: each public brief as an A4 PDF next to its page, from the PDF cache when the
brief and the template are unchanged (kommunepartner/outputs/pdf.py). KP_PDF = False turns it off."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from kommunepartner.base.i18n import catalogue, long_date
from kommunepartner.build.context import context_of
from kommunepartner.build.incremental import PLAN
from kommunepartner.build.pdfpreview import defer
from kommunepartner.build.publications import KEY
from kommunepartner.build.views import ThemeSettings, pdf_path
from kommunepartner.outputs.pdf import (
    PdfCache,
    PdfJob,
    PrintBrief,
    print_body,
    print_html,
    write_pdfs,
)

log = logging.getLogger(__name__)
CACHE = "pdf"  # the cache's folder in the state folder
# The address a picture has in the print HTML (a reserved name: never fetched from a network).
PICTURES = "https://pictures.invalid/"


class BriefPdfs(Generator):
    """Writes the PDFs once every page is written (a brief's picture variants are in place)."""

    def generate_output(self, writer) -> None:
        ts = ThemeSettings.from_settings(self.settings)
        if not ts.pdf:
            return
        out = Path(self.output_path)
        jobs = [
            job_for(c, out, self.settings) for c in self.context[KEY].briefs if c.kp_view.pdf_url
        ]
        ctx = context_of(self.settings)
        cache = PdfCache(ctx.config.state_dir / CACHE)
        # A preview rebuild in the same process does not wait for new PDFs (build/pdfpreview.py).
        plan = self.settings.get(PLAN)
        later = plan is not None and plan.fast
        report = write_pdfs(jobs, cache, out, later=later)
        if later:
            defer(plan, ctx.build_id, report.later, cache, out)
        log.info(
            "PDFs: %d made, %d from the cache, %d after the swap",
            len(report.rendered),
            len(report.reused),
            len(report.later),
        )


def job_for(c, out: Path, settings) -> PdfJob:
    """One public brief's PDF: what it shows, decided from the page's own values."""
    item = c.metadata["kp_item"]
    view = c.kp_view
    t = catalogue(item.lang)
    citation = view.citation.citation
    pictures = {}
    picture = ""
    if view.picture is not None:
        # The 960 px copy the page offers (written by the theme before any page): sharp on A4.
        variant = view.picture.variants[min(1, len(view.picture.variants) - 1)]
        picture = f"{PICTURES}{Path(variant.path).name}"
        pictures[picture] = out / variant.path
    brief = PrintBrief(
        lang=item.lang,
        title=item.title,
        number=view.number,
        authors=citation.authors,
        date_text=long_date(item.date, item.lang),
        date_iso=item.date.date().isoformat(),
        summary=item.summary_text,
        keywords=citation.keywords,
        body_html=print_body(c.content, citation.url),
        url=citation.url,
        reference=view.citation.reference,
        programme=settings.get("SITENAME", "Kommunepartner"),
        tagline=t["site_tagline"],
        institution=citation.institution,
        labels=t,
        picture=picture,
        picture_alt=item.meta.get("image_alt", ""),
        pictures=pictures,
    )
    return PdfJob(pdf_path(c.url, item.slug), print_html(brief), PICTURES, pictures)


def add_generator(_pelican):
    return BriefPdfs


def register() -> None:
    # get_generators: the PDFs need every page's values and the pictures' copies, so they come last.
    signals.get_generators.connect(add_generator)
