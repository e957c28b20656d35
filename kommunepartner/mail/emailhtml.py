"""Markdown bodies made fit for email: absolute links, inline styles, images with alt text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown import Markdown

from kommunepartner.base.errors import Problem

# The same Markdown dialect as the site (pelicanconf.MARKDOWN), so an issue reads the same.
MARKDOWN_EXTENSIONS = [
    "markdown.extensions.tables",
    "markdown.extensions.footnotes",
    "markdown.extensions.attr_list",
    "markdown.extensions.smarty",
]
MARKDOWN_CONFIGS = {"markdown.extensions.smarty": {"smart_quotes": False}}

LINK = "#0b4f6c"
# Inline styles: Outlook and some webmail ignore <style> in the head, so each tag carries its own.
STYLES = {
    "p": "margin:0 0 14px 0;",
    "h1": "margin:0 0 12px 0;font-size:24px;line-height:1.25;color:#1b1b1b;",
    "h2": "margin:22px 0 10px 0;font-size:20px;line-height:1.3;color:#1b1b1b;",
    "h3": "margin:18px 0 8px 0;font-size:18px;line-height:1.3;color:#1b1b1b;",
    "h4": "margin:16px 0 8px 0;font-size:17px;line-height:1.3;color:#1b1b1b;",
    "a": f"color:{LINK};text-decoration:underline;",
    "ul": "margin:0 0 14px 0;padding:0 0 0 22px;",
    "ol": "margin:0 0 14px 0;padding:0 0 0 22px;",
    "li": "margin:0 0 6px 0;",
    "blockquote": "margin:0 0 14px 0;padding:0 0 0 14px;border-left:3px solid #c9d3d8;color:#3a3a3a;",
    "img": "display:block;max-width:100%;height:auto;border:0;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 14px 0;font-size:15px;",
    "th": "border:1px solid #c9d3d8;padding:6px;text-align:left;",
    "td": "border:1px solid #c9d3d8;padding:6px;vertical-align:top;",
    "pre": "white-space:pre-wrap;word-break:break-word;font-size:14px;",
    "code": "font-family:Consolas,Menlo,monospace;font-size:15px;",
    "hr": "border:0;border-top:1px solid #c9d3d8;margin:18px 0;",
}
# Headings inside a card or the issue body sit below the email's own h1/h2.
SHIFT_HEADINGS = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}
VOID = {"br", "hr", "img", "col", "wbr", "source", "area"}
DROP = {"script", "style", "iframe", "object", "embed", "form"}
ABSOLUTE = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)


def markdown_to_html(text: str) -> str:
    """The site's Markdown dialect, rendered to an HTML fragment."""
    return Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIGS, output_format="html"
    ).convert(text)


@dataclass
class Fragment:
    """A body made fit for email, and the problems an editor must fix in its source."""

    html: str
    problems: list[Problem] = field(default_factory=list)


class _Rewriter(HTMLParser):
    """Re-emits an HTML fragment tag by tag with absolute URLs and inline styles."""

    def __init__(self, resolve: Callable[[str], str | None], shift_headings: bool):
        super().__init__(convert_charrefs=True)
        self.resolve, self.shift = resolve, shift_headings
        self.out: list[str] = []
        self.dropping = 0
        self.bad_links: list[str] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag in DROP:
            self.dropping += 0 if closed else 1
            return
        if self.dropping:
            return
        tag = SHIFT_HEADINGS.get(tag, tag) if self.shift else tag
        values = {k: (v or "") for k, v in attrs}
        if tag == "img" and not values.get("alt", "").strip():
            self.images_without_alt.append(values.get("src", ""))
        for name in ("href", "src"):
            if name in values:
                values[name] = self._absolute(values[name])
        if tag in STYLES:
            values["style"] = STYLES[tag] + values.get("style", "")
        attr_text = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in values.items())
        self.out.append(f"<{tag}{attr_text}>")
        if closed and tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag in VOID:
            return
        tag = SHIFT_HEADINGS.get(tag, tag) if self.shift else tag
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def _absolute(self, url: str) -> str:
        url = url.strip()
        resolved = self.resolve(url)
        if resolved is None or not ABSOLUTE.match(resolved):
            self.bad_links.append(url)
            return url
        return resolved


def email_fragment(
    body_html: str,
    resolve: Callable[[str], str | None],
    where: tuple[str, int],
    source: str = "",
    shift_headings: bool = True,
) -> Fragment:
    """Rewrite a rendered Markdown body for email; report images without alt and unusable links.

    `resolve` turns a link as written (relative, `{static}…`, `{filename}…`) into an absolute URL,
    or None when it cannot; `where` is (path, first body line) of the source for messages.
    """
    parser = _Rewriter(resolve, shift_headings)
    parser.feed(body_html)
    parser.close()
    path, first_line = where
    problems = [
        Problem(
            path,
            _line_of(source, src, first_line),
            1,
            "body",
            f"the image '{src}' has no alt text — write what it shows: ![Kart over Vestland]({src})",
        )
        for src in parser.images_without_alt
    ]
    problems += [
        Problem(
            path,
            _line_of(source, url, first_line),
            1,
            "body",
            f"the link '{url}' cannot be made into a full web address for email"
            " — write it in full (https://…) or link to a file in content/",
        )
        for url in parser.bad_links
    ]
    return Fragment("".join(parser.out), problems)


def _line_of(source: str, needle: str, first_line: int) -> int:
    """The file line where `needle` first appears in the body, else the body's first line."""
    for i, line in enumerate(source.split("\n")):
        if needle and needle in line:
            return first_line + i
    return first_line


HREF = re.compile(r"""\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def relative_urls(document: str) -> list[str]:
    """Every href/src in a whole email that is not an absolute address."""
    return [u for u in HREF.findall(document) if not ABSOLUTE.match(html.unescape(u).strip())]
