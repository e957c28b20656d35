"""Theme files named by a hash of their bytes (`css/site.3f2a9c1b7e.css`), so a host can let
browsers and CDNs keep them forever: a changed file gets a new name, and the pages name it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

HASH_CHARS = 10
# A name this module made: what the host configuration caches forever.
HASHED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")


def hashed_name(path: str, data: bytes) -> str:
    """`css/site.css` → `css/site.<first 10 hex of SHA-256>.css`."""
    p = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:HASH_CHARS]
    return str(p.with_name(f"{p.stem}.{digest}{p.suffix}"))


def asset_names(folder: Path) -> dict[str, str]:
    """Every file under `folder` (the theme's static files) by its path → its hashed path."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashed_name(
            p.relative_to(folder).as_posix(), p.read_bytes()
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
