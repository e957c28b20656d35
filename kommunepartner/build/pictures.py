"""Reads the pictures briefs name in `image:` and writes their scaled copies (Pillow)."""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image

from kommunepartner.base.errors import Problem
from kommunepartner.content.items import Item
from kommunepartner.outputs.images import Picture, plan_picture

log = logging.getLogger(__name__)


def _image_line(item: Item) -> int:
    """The front-matter line of `image:`, so the message points at it."""
    lines = Path(item.source).read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith("image:")), 1)


def picture_of(item: Item, content_dir: Path) -> Picture | Problem | None:
    """The item's picture, a Problem when the file is missing or unreadable, None without one."""
    name = item.meta.get("image")
    if not name:
        return None
    path = (content_dir / name).resolve()
    if not path.is_relative_to(content_dir.resolve()) or not path.is_file():
        return Problem(
            item.path,
            _image_line(item),
            1,
            "image",
            f"'{name}' is not a file in the content folder — put the picture in"
            " content/images/ and write e.g. image: images/havvind.jpg",
        )
    try:
        with Image.open(path) as img:
            width, height = img.size
    except OSError as exc:
        return Problem(
            item.path, _image_line(item), 1, "image", f"'{name}' is not a picture ({exc})"
        )
    return plan_picture(name, width, height, item.meta.get("image_alt", ""))


def write_variants(picture: Picture, content_dir: Path, output_dir: Path) -> None:
    """Write the scaled copies of one picture next to the copied original in the output."""
    with Image.open(content_dir / picture.source) as img:
        for v in picture.variants[:-1]:
            target = output_dir / v.path
            target.parent.mkdir(parents=True, exist_ok=True)
            scaled = img.resize((v.width, v.height), Image.Resampling.LANCZOS)
            scaled.save(target, quality=80, optimize=True)
            log.debug("wrote %s", target)
