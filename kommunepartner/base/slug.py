"""Slugs for file names and URLs, with Norwegian letters written out (æ→ae, ø→o, å→a)."""

from __future__ import annotations

import re
import unicodedata

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(title: str, max_len: int = 70) -> str:
    """'Havvind i Nordsjøen: kva må kommunane gjere?' -> 'havvind-i-nordsjoen-kva-ma-kommunane-gjere'."""
    s = title.translate(_NORWEGIAN)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0]
    return s or "utan-tittel"
