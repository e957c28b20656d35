"""An end-to-end build of the valid fixture site through `python tasks.py build`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import snapshot

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "valid"
NOW = "2026-06-01 12:00"


@pytest.fixture
def fixture_site(site):
    shutil.copytree(VALID / "content", site.content)
    shutil.copyfile(VALID / "partners.yaml", site.partners)
    return site


def test_the_fixture_site_builds_every_section_at_its_address(fixture_site):
    result = fixture_site.build("2026-06-01 12:00")
    assert re.fullmatch(
        r"Built 5 items \(4 public, 1 for partners; 2 drafts or future-dated left out\) into"
        r" \S+/output: \d+ files in \d+\.\d s\n",
        result.stdout,
    )
    out = fixture_site.output
    for page in [
        "index.html",
        "404.html",
        "notat/havvind-og-kommunane/index.html",
        "notat/nettkapasitet/index.html",
        "perspektiv/perspektiv-1/index.html",
        "arrangement/partnartreff-bergen/index.html",
        "om-programmet/index.html",
        "tema/havvind/index.html",
    ]:
        assert (out / page).is_file(), page
    brief = (out / "notat/havvind-og-kommunane/index.html").read_text(encoding="utf-8")
    assert "Havvind kan gje nye arbeidsplassar i kystkommunane." in brief
    assert "<h2" in brief and "Tilrådingar" in brief  # Markdown rendered


def test_a_rebuild_replaces_the_whole_output(fixture_site):
    """A removed item disappears: the output is swapped whole, never merged with the old one."""
    fixture_site.build("2026-06-01 12:00")
    gone = fixture_site.output / "om-programmet" / "index.html"
    assert gone.is_file()
    (fixture_site.content / "pages" / "om-programmet.md").unlink()
    fixture_site.build("2026-06-01 12:00")
    assert not gone.exists()
    assert (fixture_site.output / "notat" / "havvind-og-kommunane" / "index.html").is_file()


def test_partners_only_turns_public_after_its_time(fixture_site):
    """nettkapasitet is partners-only for 180 days from 2026-04-15, i.e. until 2026-10-12."""
    before = fixture_site.build("2026-10-11 12:00")
    assert "(4 public, 1 for partners;" in before.stdout
    after = fixture_site.build("2026-10-12 12:00")
    assert "(5 public, 0 for partners;" in after.stdout
    page = (fixture_site.output / "notat" / "nettkapasitet" / "index.html").read_text("utf-8")
    assert "PARTNERS-ONLY-BODY-NETTKAPASITET" in page


def test_build_stops_on_the_same_problems_check_reports(fixture_site, cli):
    (fixture_site.content / "events" / "partnartreff-bergen.md").write_text(
        "---\ntitle: Treff\nstart: 2026-05-12 10:00\nseries: partnertreff\nformat: fysisk\n---\n",
        encoding="utf-8",
    )
    checked = cli("check", "--content", fixture_site.content, "--partners", fixture_site.partners)
    built = fixture_site.build("2026-06-01 12:00", expect=2)
    assert checked.exit_code == 2
    assert built.stderr == checked.stderr
    assert "partnartreff-bergen.md:5:9: location: is required for a fysisk event" in built.stderr
    assert not fixture_site.output.exists()


def test_the_command_line_build_writes_the_index_and_swaps_in_a_fresh_process(fixture_site):
    done = fixture_site.program(NOW)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        r"Built 5 items \(4 public, 1 for partners; 2 drafts or future-dated left out\) into"
        r" \S+/output: \d+ files in \d+\.\d s\n",
        done.stdout,
    )
    out = fixture_site.output
    files = int(re.search(r": (\d+) files", done.stdout).group(1))
    assert files == sum(1 for p in out.rglob("*") if p.is_file()) - 1  # not counting the marker
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    assert len(list((out / "pagefind" / "fragment").iterdir())) >= 5
    # Once more over it: the lock was released, the old output is swapped out and removed.
    (fixture_site.content / "pages" / "om-programmet.md").unlink()
    again = fixture_site.program(NOW)
    assert again.returncode == 0, again.stderr
    assert not (out / "om-programmet").exists()
    assert [p.name for p in fixture_site.root.glob(".build-*")] == []


def test_when_the_search_index_fails_the_previous_output_stays_and_the_next_build_runs(
    fixture_site,
):
    assert fixture_site.program(NOW).returncode == 0
    before = snapshot(fixture_site.output)
    failed = fixture_site.program(NOW, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert failed.returncode == 1
    assert failed.stderr.startswith("error: the search index could not be written"), failed.stderr
    assert "Traceback" not in failed.stderr and failed.stdout == ""
    assert snapshot(fixture_site.output) == before
    assert [p.name for p in fixture_site.root.glob(".build-*")] == []
    missing = fixture_site.program(NOW, env={"PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"})
    assert missing.returncode == 1 and "Traceback" not in missing.stderr, missing.stderr
    assert snapshot(fixture_site.output) == before
    assert fixture_site.program(NOW).returncode == 0  # the lock was released


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGINT"])
def test_a_build_stopped_while_it_indexes_leaves_the_previous_output(fixture_site, stop):
    """Stopped after the exec, with Pagefind running: the site is not swapped in half-indexed.
    Ctrl-C says "Aborted!" (exit 1, no traceback) and removes its folder at once."""
    import signal
    import subprocess
    import time

    assert fixture_site.program(NOW).returncode == 0
    before = snapshot(fixture_site.output)
    # A Pagefind that takes its time, so the signal lands while the new process indexes.
    slow = fixture_site.root / "slow-pagefind"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    proc = fixture_site.program(
        NOW,
        env={"PAGEFIND_BINARY_PATH": str(slow)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        while proc.poll() is None and time.monotonic() < deadline:
            if b"plugins.site.finish" in cmdline.read_bytes():
                break  # the same process, exec'd: rendering is over, indexing has begun
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be stopped"
        time.sleep(0.3)
        proc.send_signal(getattr(signal, stop))
    finally:
        _out, err = proc.communicate(timeout=60)
        subprocess.run(["pkill", "-f", str(slow)], check=False)
    assert snapshot(fixture_site.output) == before
    if stop == "SIGINT":
        assert (proc.returncode, err) == (1, "Aborted!\n")
        assert [p.name for p in fixture_site.root.glob(".build-*")] == []
    else:
        assert proc.returncode == -signal.SIGKILL
    assert fixture_site.program(NOW).returncode == 0  # the lock is free; leftovers are cleaned
    assert [p.name for p in fixture_site.root.glob(".build-*")] == []


def test_the_last_step_runs_our_code_from_any_folder(fixture_site, tmp_path):
    """`python -m plugins.site.finish` must not import a `plugins/` of the current folder."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "plugins" / "site").mkdir(parents=True)
    (elsewhere / "plugins" / "__init__.py").write_text("raise SystemExit('the wrong plugins')\n")
    done = fixture_site.program(NOW, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (fixture_site.output / "pagefind" / "pagefind-entry.json").is_file()


def test_a_site_whose_page_list_passes_the_argument_limit_is_indexed(fixture_site):
    """The last step's spec travels in a file: as one argument it may be at most 128 KiB."""
    pages = fixture_site.content / "pages"
    long_name = "-".join(["kommunepartnar-for-utvikling-og-omstilling"] * 5)  # 214 characters
    for i in range(650):  # about 150 KB of page paths
        (pages / f"{long_name}-{i:04d}.md").write_text(
            f"---\ntitle: Side {i}\n---\n\nTekst {i}.\n", encoding="utf-8"
        )
    done = fixture_site.program(NOW)
    assert done.returncode == 0, done.stderr
    fragments = list((fixture_site.output / "pagefind" / "fragment").iterdir())
    assert len(fragments) > 650
    assert not (fixture_site.output / ".kp-finish.json").exists()
