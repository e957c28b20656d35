"""The plain-text part: HTML fragments turned into readable text, with links numbered and listed."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

WIDTH = 72
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr"}
SKIP = {"script", "style", "head", "title"}


@dataclass
class Links:
    """The links of one message, numbered in reading order; the same URL keeps its number."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def listing(self) -> str:
        return "\n".join(f"[{i}] {u}" for i, u in enumerate(self.urls, 1))


class _Text(HTMLParser):
    """Collects blocks of text: headings underlined, list items bulleted, links as `text [n]`."""

    def __init__(self, links: Links):
        super().__init__(convert_charrefs=True)
        self.links = links
        self.blocks: list[tuple[str, bool]] = []  # (text, is a list item)
        self.line: list[str] = []
        self.prefix: list[str] = []  # "> " for quotes
        self.lists: list[list[int]] = []  # a counter per open list; [-1] for unordered
        self.href: list[str | None] = []
        self.heading: str | None = None
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCKS or tag in ("ul", "ol", "li", "tr"):
            if not re.fullmatch(r"(-|\d+\.)\s*", "".join(self.line)):  # a bullet keeps its <p>
                self._flush()
            if tag.startswith("h") and tag[1:].isdigit():
                self.heading = tag
            elif tag == "blockquote":
                self.prefix.append("> ")
            elif tag == "pre":
                self.pre += 1
            elif tag == "hr":
                self.blocks.append(("-" * 20, False))
            elif tag == "ul":
                self.lists.append([-1])
            elif tag == "ol":
                self.lists.append([0])
            elif tag == "li" and self.lists:
                counter = self.lists[-1]
                if counter[0] >= 0:
                    counter[0] += 1
                self.line.append(f"{counter[0]}. " if counter[0] >= 0 else "- ")
        elif tag == "br":
            self.line.append("\n")
        elif tag == "a":
            self.href.append(a.get("href"))
        elif tag == "img" and a.get("alt"):
            self.line.append(f"[{a['alt']}]")
        elif tag in ("td", "th") and self.line:
            self.line.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and not href.startswith("mailto:"):
                self.line.append(f" [{self.links.number(href)}]")
            elif href:
                self.line.append(f" ({href.removeprefix('mailto:')})")
        elif tag in BLOCKS or tag in ("ul", "ol", "li", "tr"):
            self._flush()
            if tag == "blockquote" and self.prefix:
                self.prefix.pop()
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)
            elif tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.line.append(data if self.pre else re.sub(r"\s+", " ", data))

    def _flush(self) -> None:
        text = re.sub(r"^(- |\d+\. )\s+", r"\1", "".join(self.line))
        self.line = []
        item = bool(re.match(r"^(- |\d+\. )", text))
        if not text.strip():
            self.heading = None
            return
        if self.pre:
            block = text.strip("\n")
        else:
            indent = "   " if self.lists and not item else ""
            lines = [_wrap(part.strip(), indent) for part in text.split("\n")]
            block = "\n".join(lines)
        if self.heading:
            block = (
                block
                + "\n"
                + ("=" if self.heading in ("h1", "h2") else "-") * min(len(block), WIDTH)
            )
            self.heading = None
        prefix = "".join(self.prefix)
        if prefix:
            block = "\n".join(prefix + line for line in block.split("\n"))
        self.blocks.append((block, item))

    def text(self) -> str:
        """Blocks separated by a blank line; consecutive list items by a line break."""
        self._flush()
        out = ""
        for i, (block, item) in enumerate(self.blocks):
            if i:
                out += "\n" if item and self.blocks[i - 1][1] else "\n\n"
            out += block
        return out


def _wrap(text: str, indent: str = "") -> str:
    hanging = "   " if re.match(r"^(- |\d+\. )", text) else indent
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def html_to_text(fragment: str, links: Links) -> str:
    """Readable text of an HTML fragment; each link becomes `text [n]`, numbered in `links`."""
    parser = _Text(links)
    parser.feed(fragment)
    parser.close()
    return parser.text()


def wrap(text: str) -> str:
    """A paragraph of interface or summary text, wrapped like the rest of the plain-text part."""
    return "\n".join(_wrap(line) for line in text.split("\n"))
