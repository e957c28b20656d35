"""Precompressed copies: `x.html.gz` and `x.html.br` beside each text file of a build, so a host
sends the smaller one the browser accepts (nginx `gzip_static`/`brotli_static`, Caddy
`precompressed`) without compressing on every request.

The copies are reproducible (gzip without a time or name), so publishing an unchanged site
uploads nothing; a copy that would not be smaller than its file is not written.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

# What is worth compressing; pictures, Pagefind's index files and PDFs are compressed already.
TEXT_SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".ics", ".webmanifest"}
)
COPY_SUFFIXES = (".gz", ".br")
MIN_BYTES = 256  # below this the headers of a compressed response outweigh the saving


@dataclass(frozen=True)
class Compressed:
    """What precompression did: files seen, copies written, bytes before and after."""

    files: int
    copies: int
    plain_bytes: int
    brotli_bytes: int


def text_files(folder: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if path.suffix in TEXT_SUFFIXES:
                yield path


def _compress(path: Path) -> tuple[int, int, int]:
    """Write the copies of one file; (copies written, plain bytes, brotli bytes or plain)."""
    data = path.read_bytes()
    if len(data) < MIN_BYTES:
        return 0, len(data), len(data)
    written = 0
    # mtime=0 and no file name: the same file always gives the same bytes.
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    br = brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)
    for suffix, packed in ((".gz", gz), (".br", br)):
        if len(packed) < len(data):
            path.with_name(path.name + suffix).write_bytes(packed)
            written += 1
    return written, len(data), min(len(br), len(data))


def precompress(folder: Path, workers: int | None = None) -> Compressed:
    """Write .gz and .br copies of every text file under `folder` (brotli at its best quality)."""
    files = sorted(text_files(folder))
    # zlib and brotli release the GIL while they compress: threads use every core.
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        results = list(pool.map(_compress, files))
    return Compressed(
        len(files),
        sum(r[0] for r in results),
        sum(r[1] for r in results),
        sum(r[2] for r in results),
    )
