"""An end-to-end build of the valid fixture site through `./tasks.py build`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import snapshot

NOW = "2026-06-01 12:00"


def test_the_valid_site_builds_every_section_at_its_address(valid_site):
    result = valid_site.build("2026-06-01 12:00")
    assert re.fullmatch(
        r"Built 5 items \(4 public, 1 for partners; 2 drafts or future-dated left out\) into"
        r" \S+/output: \d+ files in \d+\.\d s\n",
        result.stdout,
    )
    out = valid_site.output
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


def test_a_rebuild_replaces_the_whole_output(valid_site):
    """A removed item disappears: the output is swapped whole, never merged with the old one."""
    valid_site.build("2026-06-01 12:00")
    gone = valid_site.output / "om-programmet" / "index.html"
    assert gone.is_file()
    (valid_site.content / "pages" / "om-programmet.md").unlink()
    valid_site.build("2026-06-01 12:00")
    assert not gone.exists()
    assert (valid_site.output / "notat" / "havvind-og-kommunane" / "index.html").is_file()


def test_partners_only_turns_public_after_its_time(valid_site):
    """nettkapasitet is partners-only for 180 days from 2026-04-15, i.e. until 2026-10-12."""
    before = valid_site.build("2026-10-11 12:00")
    assert "(4 public, 1 for partners;" in before.stdout
    after = valid_site.build("2026-10-12 12:00")
    assert "(5 public, 0 for partners;" in after.stdout
    page = (valid_site.output / "notat" / "nettkapasitet" / "index.html").read_text("utf-8")
    assert "PARTNERS-ONLY-BODY-NETTKAPASITET" in page


def test_build_stops_on_the_same_problems_check_reports(valid_site, cli):
    (valid_site.content / "events" / "partnartreff-bergen.md").write_text(
        "---\ntitle: Treff\nstart: 2026-05-12 10:00\nseries: partnertreff\nformat: fysisk\n---\n",
        encoding="utf-8",
    )
    checked = cli("check", "--content", valid_site.content, "--partners", valid_site.partners)
    built = valid_site.build("2026-06-01 12:00", expect=2)
    assert checked.exit_code == 2
    assert built.stderr == checked.stderr
    assert "partnartreff-bergen.md:5:9: location: is required for a fysisk event" in built.stderr
    assert not valid_site.output.exists()


def test_the_command_line_build_writes_the_index_and_swaps_in_a_fresh_process(valid_site):
    done = valid_site.program(NOW)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        r"Built 5 items \(4 public, 1 for partners; 2 drafts or future-dated left out\) into"
        r" \S+/output: \d+ files in \d+\.\d s\n",
        done.stdout,
    )
    out = valid_site.output
    files = int(re.search(r": (\d+) files", done.stdout).group(1))
    assert files == sum(1 for p in out.rglob("*") if p.is_file()) - 1  # not counting the marker
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    assert len(list((out / "pagefind" / "fragment").iterdir())) >= 5
    # Once more over it: the lock was released, the old output is swapped out and removed.
    (valid_site.content / "pages" / "om-programmet.md").unlink()
    again = valid_site.program(NOW)
    assert again.returncode == 0, again.stderr
    assert not (out / "om-programmet").exists()
    assert [p.name for p in valid_site.root.glob(".build-*")] == []


def test_when_the_search_index_fails_the_previous_output_stays_and_the_next_build_runs(
    valid_site,
):
    assert valid_site.program(NOW).returncode == 0
    before = snapshot(valid_site.output)
    failed = valid_site.program(NOW, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert failed.returncode == 1
    assert failed.stderr.startswith("error: the search index could not be written"), failed.stderr
    assert "Traceback" not in failed.stderr and failed.stdout == ""
    assert snapshot(valid_site.output) == before
    assert [p.name for p in valid_site.root.glob(".build-*")] == []
    missing = valid_site.program(NOW, env={"PAGEFIND_BINARY_PATH": "/nonexistent/pagefind"})
    assert missing.returncode == 1 and "Traceback" not in missing.stderr, missing.stderr
    assert snapshot(valid_site.output) == before
    assert valid_site.program(NOW).returncode == 0  # the lock was released


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGINT"])
def test_a_build_stopped_while_it_indexes_leaves_the_previous_output(valid_site, stop):
    """Stopped after the exec, with Pagefind running: the site is not swapped in half-indexed.
    Ctrl-C says "Aborted!" (exit 1, no traceback) and removes its folder at once."""
    import signal
    import subprocess
    import time

    assert valid_site.program(NOW).returncode == 0
    before = snapshot(valid_site.output)
    # A Pagefind that takes its time, so the signal lands while the new process indexes.
    slow = valid_site.root / "slow-pagefind"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    proc = valid_site.program(
        NOW,
        env={"PAGEFIND_BINARY_PATH": str(slow)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        # The same process, exec'd, with Pagefind started: rendering is over, indexing has begun.
        while proc.poll() is None and time.monotonic() < deadline:
            if b"kommunepartner.build.finish" in cmdline.read_bytes() and _running(slow):
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be stopped"
        proc.send_signal(getattr(signal, stop))
    finally:
        _out, err = proc.communicate(timeout=60)
        subprocess.run(["pkill", "-f", str(slow)], check=False)
    assert snapshot(valid_site.output) == before
    if stop == "SIGINT":
        assert (proc.returncode, err) == (1, "Aborted!\n")
        assert [p.name for p in valid_site.root.glob(".build-*")] == []
    else:
        assert proc.returncode == -signal.SIGKILL
    assert valid_site.program(NOW).returncode == 0  # the lock is free; leftovers are cleaned
    assert [p.name for p in valid_site.root.glob(".build-*")] == []


def _running(program: Path) -> bool:
    """Whether a process runs `program` (a script: its path is an argument of the shell)."""
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(program).encode() in (entry / "cmdline").read_bytes():
                return True
        except OSError:
            continue  # ended while we looked
    return False


def test_the_last_step_runs_our_code_from_any_folder(valid_site, tmp_path):
    """`python -m kommunepartner.build.finish` must not import a `plugins/` of the current folder."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "plugins" / "site").mkdir(parents=True)
    (elsewhere / "plugins" / "__init__.py").write_text("raise SystemExit('the wrong plugins')\n")
    done = valid_site.program(NOW, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (valid_site.output / "pagefind" / "pagefind-entry.json").is_file()


def test_a_site_whose_page_list_passes_the_argument_limit_is_indexed(valid_site):
    """The last step's spec travels in a file: as one argument it may be at most 128 KiB."""
    pages = valid_site.content / "pages"
    long_name = "-".join(["kommunepartnar-for-utvikling-og-omstilling"] * 5)  # 214 characters
    for i in range(650):  # about 150 KB of page paths
        (pages / f"{long_name}-{i:04d}.md").write_text(
            f"---\ntitle: Side {i}\n---\n\nTekst {i}.\n", encoding="utf-8"
        )
    done = valid_site.program(NOW)
    assert done.returncode == 0, done.stderr
    fragments = list((valid_site.output / "pagefind" / "fragment").iterdir())
    assert len(fragments) > 650
    assert not (valid_site.output / ".kp-finish.json").exists()
