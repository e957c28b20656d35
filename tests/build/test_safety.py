"""Build safety: a failed or killed build keeps the previous output byte for byte, dangerous output
folders are refused, drafts and future-dated items never reach the output, a file that cannot be
read stops the build, and templates escape what editors write."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kommunepartner.base.errors import InputError, shown_path
from kommunepartner.build.outputdir import MARKER, guard_output
from tests.conftest import TEST_SECRET, output_texts, snapshot

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-06-01 12:00"


@pytest.fixture
def built(valid_site):
    """The valid fixture site, built once into site.output."""
    site = valid_site
    site.build(NOW)
    assert (site.output / MARKER).is_file()
    return site


def leftovers(site) -> list[str]:
    return sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build-"))


def test_a_build_that_fails_validation_leaves_the_previous_output_byte_identical(built):
    before = snapshot(built.output)
    (built.content / "briefs" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = built.build(NOW, expect=2)
    assert "briefs/broken.md:2:9: invalid YAML: the list or mapping that starts here is never" in (
        result.stderr
    )
    assert snapshot(built.output) == before
    assert leftovers(built) == []


def test_a_build_that_fails_inside_pelican_leaves_the_previous_output(built, tmp_path):
    """A template that crashes halfway through writing: exit 1, old output kept, temp removed."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "page.html").write_text("{{ 1 // 0 }}", encoding="utf-8")
    settings = tmp_path / "crashing.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"THEME = {str(ROOT / 'themes' / 'kommunepartner')!r}\n"
        f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n",
        encoding="utf-8",
    )
    before = snapshot(built.output)
    result = built.build(NOW, "--settings", settings, expect=1)
    assert "error: the build stopped: ZeroDivisionError: integer division or modulo by zero" in (
        result.stderr
    )
    assert "Traceback" not in result.output
    assert snapshot(built.output) == before
    assert leftovers(built) == []


def test_a_file_pelican_could_not_process_stops_the_build_without_verbose(built, tmp_path):
    """Pelican logs a file it could not process and skips it; with its log silenced (no -v)
    the build must still stop with exit 2 and keep the previous output."""
    settings = tmp_path / "failing.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"THEME = {str(ROOT / 'themes' / 'kommunepartner')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'tests' / 'fixtures' / 'plugins')!r}]\n"
        "PLUGINS = PLUGINS + ['failing_item']\n"
        "FAILING_ITEM_SLUG = 'om-programmet'\n",
        encoding="utf-8",
    )
    before = snapshot(built.output)
    result = built.build(NOW, "--settings", settings, expect=2)
    assert "build: Could not process pages/om-programmet.md: a plugin failed on this page" in (
        result.stderr
    )
    assert snapshot(built.output) == before
    assert leftovers(built) == []


def big_site(site, briefs: int) -> None:
    """The valid fixture plus many briefs, so that a build takes a moment to write."""
    for i in range(briefs):
        (site.content / "briefs" / f"notat-{i:04d}.md").write_text(
            f"---\ntitle: Notat {i}\ndate: 2026-01-01\nsummary: Eit notat om havvind.\n"
            f"topics: [energi, emne-{i % 20}]\n---\n\n" + "Avsnitt om energi.\n\n" * 20,
            encoding="utf-8",
        )


def test_a_build_killed_mid_way_leaves_the_previous_output_and_the_next_build_cleans_up(built):
    before = snapshot(built.output)
    big_site(built, 150)
    proc = built.program(NOW, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            temp = [p for p in built.root.glob(".build-output-*") if p.is_dir()]
            if temp and any(p.is_file() for p in temp[0].rglob("*")):
                break  # Pelican has started writing the new site
            time.sleep(0.002)
        assert proc.poll() is None, "the build ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    half_written = [p for p in built.root.glob(".build-output-*") if p.is_dir()]
    assert half_written and any(p.is_file() for p in half_written[0].rglob("*"))
    assert snapshot(built.output) == before  # byte for byte, every file

    built.build(NOW)  # the next build replaces the output and removes what the kill left
    assert leftovers(built) == []
    assert (built.output / "notat" / "notat-0149" / "index.html").is_file()


@pytest.mark.parametrize(
    ("path", "why"),
    [
        (lambda root: Path("/"), "it is the file-system root"),
        (lambda root: Path.home(), "it is your home folder"),
        (lambda root: Path("~"), "it is your home folder"),
        (lambda root: root, "it is the repository"),
        (lambda root: root / "content", "it is the content folder"),
        (lambda root: root / "content" / "briefs" / "out", "it is inside the content folder"),
        (lambda root: root.parent, "it contains the repository"),
    ],
)
def test_the_guard_refuses_dangerous_output_folders(path, why):
    output = path(ROOT)
    with pytest.raises(InputError) as exc:
        guard_output(output, ROOT, ROOT / "content")
    assert str(exc.value) == (
        f"{shown_path(output.expanduser())}: refusing to build into this folder: {why}"
        " — pass --output with a folder of its own, e.g. --output output"
    )


def test_the_guard_refuses_a_folder_it_did_not_write_and_a_link_to_content(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "ferie.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(InputError, match="holds files that no build of ours wrote"):
        guard_output(tmp_path / "photos", ROOT, content)
    (tmp_path / "link").symlink_to(content)
    with pytest.raises(InputError, match="it is the content folder"):
        guard_output(tmp_path / "link", ROOT, content)
    (tmp_path / "empty").mkdir()
    assert guard_output(tmp_path / "empty", ROOT, content) == tmp_path / "empty"
    assert guard_output(tmp_path / "new", ROOT, content) == tmp_path / "new"
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / MARKER).write_text("")
    (tmp_path / "ours" / "index.html").write_text("")
    assert guard_output(tmp_path / "ours", ROOT, content) == tmp_path / "ours"


_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".*_cache", ".hypothesis", "output", "test-artifacts", "corpora"
)


@pytest.mark.parametrize(
    ("output", "why"), [(".", "it is the repository"), ("content", "it is the content folder")]
)
def test_building_into_the_repository_or_content_in_a_copy_deletes_nothing(tmp_path, output, why):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=_NOT_COPIED, symlinks=True)
    before = snapshot(copy)
    done = subprocess.run(
        [sys.executable, "tasks.py", "build", "--output", output],
        cwd=copy,
        env={**os.environ, "KOMMUNEPARTNER_SECRET": TEST_SECRET},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"{output}: refusing to build into this folder: {why}"
        " — pass --output with a folder of its own, e.g. --output output\n"
    )
    assert snapshot(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_drafts_and_future_dated_items_are_never_written(built):
    markers = ["DRAFT-BODY-FERJER", "Ferjer i distrikta", "utkast-ferjer"]
    markers += ["FUTURE-BODY-2030", "Eit notat fram i tid", "framtidig-notat"]
    markers += ["PARTNERS-ONLY-BODY-NETTKAPASITET"]  # partners-only: never in plaintext
    found = [(str(p), m) for p, text in output_texts(built.output) for m in markers if m in text]
    assert found == []
    assert not (built.output / "drafts").exists()
    assert (built.output / "notat" / "havvind-og-kommunane" / "index.html").is_file()

    built.build("2030-06-01 12:00")  # once its date has come, the future brief is published
    page = built.output / "notat" / "framtidig-notat" / "index.html"
    assert "FUTURE-BODY-2030" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "latin1.md",
            "---\ntitle: Bjørn\n---\n".encode("latin-1"),
            "briefs/latin1.md:2:10: byte 0xf8 is not UTF-8 — save the file as UTF-8",
        ),
        (
            "gammal.markdown",
            b"Title: Gammal\n\nTekst\n",
            "briefs/gammal.markdown:1:1: is not a content file: content files end in .md"
            " — rename it to gammal.md, or move it to content/images/",
        ),
        (
            "borte.md",
            None,
            "briefs/borte.md:1:1: is not a readable file — a broken link or a folder?",
        ),
    ],
)
def test_a_content_file_that_cannot_be_read_stops_the_build(built, name, data, message):
    before = snapshot(built.output)
    path = built.content / "briefs" / name
    if data is None:
        path.symlink_to(built.root / "missing.md")
    else:
        path.write_bytes(data)
    result = built.build(NOW, expect=2)
    assert result.stderr == f"{built.content}/{message}\n"
    assert snapshot(built.output) == before


def test_templates_escape_what_editors_write(built):
    (built.content / "briefs" / "skript.md").write_text(
        '---\ntitle: "<script>alert(1)</script> & <b>co</b>"\ndate: 2026-05-01\n'
        'summary: "<img src=x onerror=alert(2)>"\n---\n\nTekst.\n',
        encoding="utf-8",
    )
    built.build(NOW)
    page = (built.output / "notat" / "skript" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in page
    pages = [(p, t) for p, t in output_texts(built.output) if p.suffix == ".html"]
    raw = [str(p) for p, t in pages if "<script>alert(1)" in t or "<img src=x" in t]
    assert raw == []
