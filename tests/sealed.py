"""Test helper: read the sealed payloads of a built page the way the page script does."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

_META = re.compile(r'<meta name="(kp-item|kp-build)" content="([^"]*)">')
_SEALED = re.compile(
    r'<script type="application/json" class="kp-sealed" data-kp-fill="[^"]*"'
    r'(?: data-kp-part="([^"]*)")?>(.*?)</script>',
    re.S,
)


@dataclass(frozen=True)
class SealedPart:
    page: str
    item: str  # as the page script binds it: the page's kp-item (+ '#part')
    build: str
    payload: dict


def sealed_parts(out: Path) -> list[SealedPart]:
    """Every sealed payload in every HTML file of a build."""
    parts = []
    for path in sorted(out.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        meta = {k: html.unescape(v) for k, v in _META.findall(text)}
        for part, data in _SEALED.findall(text):
            item = meta["kp-item"] + (f"#{html.unescape(part)}" if part else "")
            parts.append(
                SealedPart(str(path.relative_to(out)), item, meta["kp-build"], json.loads(data))
            )
    return parts
