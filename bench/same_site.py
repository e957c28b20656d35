"""Compare two builds of one site file by file, apart from what differs between any two builds.

    .venv/bin/python -m bench.same_site OUTPUT_A OUTPUT_B

Every build draws a fresh build id and fresh content keys, so two builds of the same sources
never agree byte for byte. This puts the build id back to one placeholder and opens every sealed
payload with the key of each partner it names (the site secret from $KOMMUNEPARTNER_SECRET), so
what is compared is what a reader sees: the pages, the plaintext partners get, the feeds, the
calendars, and the search index's records (decoded). Exit 0 when the two agree, 1 otherwise.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import sys
from pathlib import Path

from kommunepartner.access.crypto import unlock_token
from kommunepartner.access.envelope import open_sealed

_BUILD = re.compile(rb'<meta name="kp-build" content="([^"]*)">')
_ITEM = re.compile(rb'<meta name="kp-item" content="([^"]*)">')
_SEALED = re.compile(
    rb'(<script type="application/json" class="kp-sealed" data-kp-fill="[^"]*"'
    rb'(?: data-kp-part="([^"]*)")?>)(.*?)(</script>)',
    re.S,
)
_STAMP = re.compile(rb"^(DTSTAMP|LAST-MODIFIED|CREATED):[0-9TZ]+\r?$", re.M)


def _opened(match: re.Match, item: str, build: str, secret: bytes) -> bytes:
    """A sealed payload replaced by what each of its readers gets when opening it, in the clear."""
    payload = json.loads(match.group(3))
    part = html.unescape(match.group(2).decode()) if match.group(2) else ""
    item_id = item + (f"#{part}" if part else "")
    readers = []
    for entry in payload["keys"]:
        token = unlock_token(secret, entry["partner"], entry["key_version"])
        plain = open_sealed(payload, token, item_id, build)
        readers.append(f"[{entry['partner']}.{entry['key_version']}] {plain}")
    return match.group(1) + "\n".join(readers).encode() + match.group(4)


def normalised(path: Path, secret: bytes) -> bytes:
    """The file's bytes with the build id and the random parts of sealed payloads taken out."""
    data = path.read_bytes()
    if path.suffix == ".pf_fragment":
        data = gzip.decompress(data)
    build = _BUILD.search(data)
    if build:
        build_id = build.group(1).decode()
        item = _ITEM.search(data)
        item_id = item.group(1).decode() if item else ""
        data = _SEALED.sub(lambda m: _opened(m, item_id, build_id, secret), data)
        data = data.replace(build.group(1), b"BUILD")
    return _STAMP.sub(rb"\1:STAMP", data)


def files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}


def normalised_tree(root: Path, secret: bytes) -> dict[str, bytes]:
    """Every file of an output by its path, normalised."""
    return {name: normalised(path, secret) for name, path in files(root).items()}


def compare(a: Path, b: Path, secret: bytes) -> list[str]:
    """Every difference between the two outputs, one line each; [] when they agree."""
    fa, fb = files(a), files(b)
    out = [f"only in {a}: {n}" for n in sorted(fa.keys() - fb.keys())]
    out += [f"only in {b}: {n}" for n in sorted(fb.keys() - fa.keys())]
    for name in sorted(fa.keys() & fb.keys()):
        if normalised(fa[name], secret) != normalised(fb[name], secret):
            out.append(f"differs: {name}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or "KOMMUNEPARTNER_SECRET" not in os.environ:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = Path(argv[0]), Path(argv[1])
    secret = os.environ["KOMMUNEPARTNER_SECRET"].encode()
    problems = compare(a, b, secret)
    for line in problems:
        print(line)
    n = len(files(a))
    print(
        f"{n} files compared: "
        + (f"{len(problems)} differences" if problems else "identical apart from the build id")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
