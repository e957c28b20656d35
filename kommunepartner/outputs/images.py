"""Responsive images: which scaled copies of a picture the site offers, and at what size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

# Widths (CSS pixels × density) that cover a phone at 1x–3x and the 44rem text column on a desktop.
WIDTHS = (480, 960, 1440)


@dataclass(frozen=True)
class Variant:
    """One file of a picture: its path in the output (and URL below SITEURL), and its size."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A picture as the template writes it: src, srcset candidates, intrinsic size, alt text."""

    source: str  # the original, relative to the content folder
    alt: str
    variants: tuple[Variant, ...]  # narrowest first; the last one is the original

    @property
    def src(self) -> Variant:
        """The fallback for browsers without srcset: the widest copy that is not the original."""
        return self.variants[-2] if len(self.variants) > 1 else self.variants[-1]

    @property
    def width(self) -> int:
        return self.variants[-1].width

    @property
    def height(self) -> int:
        return self.variants[-1].height


def plan_picture(
    source: str, width: int, height: int, alt: str, widths: tuple[int, ...] = WIDTHS
) -> Picture:
    """The scaled copies to make of `source` (never wider than the original), plus the original."""
    path = PurePosixPath(source)
    scaled = tuple(
        Variant(
            str(path.with_name(f"{path.stem}-{w}w{path.suffix}")),
            w,
            max(1, round(height * w / width)),
        )
        for w in sorted(widths)
        if w < width
    )
    return Picture(source, alt, (*scaled, Variant(str(path), width, height)))
