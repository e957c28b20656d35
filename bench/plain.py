"""The same corpus for plain Pelican (Markdown metadata header) and for Hugo (minimal layouts)."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import yaml

from kommunepartner.content.items import split_front_matter

ROOT = Path(__file__).resolve().parents[1]
# Our Markdown settings, read from our own settings file, plus `meta`: how Pelican's own reader
# takes metadata.
_OURS = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
MARKDOWN = {**_OURS, "extensions": ["markdown.extensions.meta", *_OURS["extensions"]]}
CATEGORIES = {"briefs": "notat", "newsletters": "perspektiv", "events": "arrangement"}

PELICAN_CONF = """\
# Plain Pelican 4.12 with a minimal configuration: default theme, default feeds and pages.
SITENAME = "Bench"
SITEURL = "https://bench.example.org"
PATH = {content!r}
ARTICLE_PATHS = ["briefs", "newsletters", "events"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "nn"
READERS = {{"rst": None, "html": None, "htm": None}}
MARKDOWN = {markdown!r}
CACHE_PATH = {cache!r}
"""
# The rebuild benchmark turns on Pelican's own content cache (the reader layer).
PELICAN_CACHE = "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n"

HUGO_CONF = """\
baseURL: https://bench.example.org/
title: Bench
contentDir: {content}
defaultContentLanguage: nn
buildFuture: true
taxonomies:
  topic: topics
markup:
  goldmark:
    renderer:
      unsafe: false
"""
BASEOF = """<!doctype html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Summary }}</p>
{{ .Content }}
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
"""


def pelican_metadata(meta: dict, section: str, slug: str) -> list[str]:
    """Our YAML fields as Pelican's `Key: value` header lines."""
    lines = [f"Title: {meta['title']}", f"Slug: {slug}"]
    when = meta.get("date") or meta.get("start")
    if when is not None:
        lines.append(f"Date: {when}")
    if section in CATEGORIES:
        lines.append(f"Category: {CATEGORIES[section]}")
    if meta.get("topics"):
        lines.append(f"Tags: {', '.join(meta['topics'])}")
    if meta.get("authors"):
        lines.append(f"Authors: {', '.join(meta['authors'])}")
    if meta.get("summary"):
        lines.append(f"Summary: {meta['summary']}")
    return lines


def write_pelican_copy(content: Path, target: Path) -> Path:
    """Copy every content file with its front matter in Pelican's Markdown metadata form."""
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(content.rglob("*.md")):
        section = path.relative_to(content).parts[0]
        fm, body, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        meta = yaml.safe_load(fm)
        header = pelican_metadata(meta, section, meta.get("slug") or path.stem)
        out = target / path.relative_to(content)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
    return target


def write_pelican_conf(path: Path, content: Path, cache: Path, *, cached: bool) -> Path:
    text = PELICAN_CONF.format(content=str(content), markdown=MARKDOWN, cache=str(cache))
    path.write_text(text + (PELICAN_CACHE if cached else ""), encoding="utf-8")
    return path


def write_hugo_site(site: Path, content: Path) -> Path:
    """A Hugo site with minimal layouts that reads our content folder as it is (YAML front matter)."""
    layouts = site / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    (site / "hugo.yaml").write_text(HUGO_CONF.format(content=content), encoding="utf-8")
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    for name in ("list.html", "home.html", "taxonomy.html", "term.html"):
        (layouts / name).write_text(LIST, encoding="utf-8")
    return site
