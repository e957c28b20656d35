"""The site's search index (Pagefind), made from the public HTML of published pages.

Only what a reader without a key sees is indexed: sealed bodies sit in JSON script elements,
which Pagefind never reads, and the locked teaser and page furniture are excluded by selector.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pagefind.service import get_executable

from kommunepartner.base.errors import RunError

log = logging.getLogger(__name__)

FOLDER = "pagefind"
# The build setting under which a build that hands its end to another process collects IndexJobs.
LATER = "KP_SEARCH_LATER"
ROOT_SELECTOR = "main"
# The lock box, sealed payloads and their empty slots, anything a template marks, and furniture.
EXCLUDE = (
    ".locked",
    ".kp-sealed",
    ".kp-slot",
    "[data-kp-slot]",
    "[data-pagefind-ignore]",
    ".langswitch",  # "Les på bokmål": the same words on every translated page
)


def stage(
    output: Path, files: Sequence[str], into: Path, stop: Callable[[], bool] = lambda: False
) -> bool:
    """Mirror the chosen pages (hard links where possible): Pagefind indexes a whole folder.

    (Its Python API takes single files, but answers one request per 100 ms.) Returns False,
    leaving the mirror incomplete, as soon as `stop()` is true.
    """
    for rel in files:
        if stop():
            return False
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output / rel, target)
        except OSError:
            shutil.copyfile(output / rel, target)
    return True


def write_config(workdir: Path, site: Path, into: Path, lang: str) -> None:
    """The pagefind.json that every run of ours uses, in the folder Pagefind runs in."""
    config = {
        "site": str(site),
        "output_path": str(into),
        "root_selector": ROOT_SELECTOR,
        "exclude_selectors": list(EXCLUDE),
        "force_language": lang,  # one index for nynorsk and bokmål: a reader finds both
        "quiet": True,
    }
    (workdir / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")


def _run_pagefind(workdir: Path, site: Path, into: Path, lang: str) -> int:
    """One run of the Pagefind binary, configured by a pagefind.json in its working folder."""
    exe = get_executable()
    if exe is None:
        raise RunError("the search index needs Pagefind: pip install 'pagefind[bin]'")
    write_config(workdir, site, into, lang)
    try:
        done = subprocess.run([str(exe)], cwd=workdir, capture_output=True, text=True, check=False)
    except OSError as exc:  # e.g. PAGEFIND_BINARY_PATH names no program
        raise RunError(f"the search index could not be written: Pagefind ({exe}): {exc}") from None
    if done.returncode != 0:
        raise RunError(f"the search index could not be written: {done.stdout}{done.stderr}")
    return sum(1 for _ in into.glob("fragment/*"))


def write_index(output: Path, files: Sequence[str], lang: str, site_path: str = "") -> int:
    """Index `files` (paths under `output`) into `output/pagefind/`; return the page count.

    `site_path` is the path part of the site's address ('' at a domain's root), so results
    link to '/<site_path>/notat/x/'.
    """
    with tempfile.TemporaryDirectory(prefix="kp-search-") as tmp:
        site = Path(tmp) / "site"
        stage(output, files, site / site_path.strip("/"))
        count = _run_pagefind(Path(tmp), site, output / FOLDER, lang)
    log.debug("search index: %d pages", count)
    return count


@dataclass(frozen=True)
class IndexJob:
    """One search index still to write: plain data, so another process can run it."""

    files: tuple[str, ...]
    lang: str
    site_path: str = ""

    def run(self, output: Path) -> int:
        return write_index(output, self.files, self.lang, self.site_path)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> IndexJob:
        return cls(tuple(data["files"]), data["lang"], data.get("site_path", ""))
