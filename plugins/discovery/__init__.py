"""Pelican plugin: canonical URLs, Open Graph, Twitter, hreflang and JSON-LD in every page's head;
sitemap.xml and robots.txt."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import pass_context
from pelican import signals

from kommunepartner.build.pages import Discovery, DiscoverySettings, published_contents
from kommunepartner.build.publications import publications
from kommunepartner.outputs.discovery import HeadMeta, head_meta, robots_txt, sitemap_xml

log = logging.getLogger(__name__)
KEY = "kp_discovery"  # context key of this build's Discovery


@pass_context
def kp_head(jctx) -> HeadMeta:
    """Jinja global: the head tags of the page being rendered (used by _head_meta.html)."""
    discovery: Discovery = jctx[KEY]
    return head_meta(discovery.page_info(jctx), discovery.settings.site)


def add_global(generator) -> None:
    generator.env.globals["kp_head"] = kp_head


def index_site(generators) -> None:
    """Record every published page's address for the head tags; write sitemap.xml, robots.txt."""
    first = generators[0]
    settings = DiscoverySettings.from_settings(first.settings)
    contents = published_contents(generators)
    discovery = Discovery.create(settings, contents)
    first.context[KEY] = discovery
    out = Path(first.output_path)
    listings = [p.path for p in publications(generators).pages]
    entries = discovery.sitemap(contents, first.context, listings)
    (out / "sitemap.xml").write_text(sitemap_xml(entries), encoding="utf-8")
    (out / "robots.txt").write_text(robots_txt(settings.site.url), encoding="utf-8")
    log.debug("sitemap.xml: %d addresses", len(entries))


def register() -> None:
    # generator_init: each generator owns its Jinja environment; kp_head must exist before rendering.
    signals.generator_init.connect(add_global)
    # all_generators_finalized: every published page is known and nothing is written yet.
    signals.all_generators_finalized.connect(index_site)
