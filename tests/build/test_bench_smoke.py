"""The benchmark cannot rot: a small generated corpus passes `check`, builds, and its copies match."""

from __future__ import annotations

from bench import plain
from bench.corpus import NOW, generate
from bench.rebuild import edit_one_brief

SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_corpus_is_seeded_and_realistic(tmp_path):
    a = generate(10, tmp_path / "a")
    b = generate(10, tmp_path / "b")
    files = sorted(p.relative_to(a.content) for p in a.content.rglob("*.md"))
    assert len(files) == a.files == 10 + 5 + 3 + 2
    for rel in files:
        assert (a.content / rel).read_bytes() == (b.content / rel).read_bytes(), rel
    brief = (a.content / "briefs" / "notat-00002.md").read_text(encoding="utf-8")
    body = brief.split("\n---\n", 1)[1]
    assert 750 <= len(body.split()) <= 1_000
    assert "| Kommune | Innbyggjarar |" in body and "](/notat/notat-" in body
    locked = sum(
        "access: partners" in p.read_text(encoding="utf-8")
        for p in (a.content / "briefs").glob("*.md")
    )
    assert locked == a.partners_only


def test_check_accepts_the_corpus_and_one_build_succeeds(tmp_path, cli):
    corpus = generate(10, tmp_path / "corpus")
    args = ["--content", corpus.content, "--partners", corpus.partners]
    checked = cli("check", *args)
    assert checked.exit_code == 0, checked.output
    assert f"OK: {corpus.files} content files" in checked.output
    out = tmp_path / "out"
    built = cli(
        "build",
        *args,
        "--output",
        out,
        "--state",
        tmp_path / "state",
        "--now",
        NOW,
        env={"KOMMUNEPARTNER_SECRET": SECRET},
    )
    assert built.exit_code == 0, built.output
    assert (out / "notat" / "notat-00001" / "index.html").is_file()
    # The rebuild benchmark's edit keeps the file valid.
    edit_one_brief(corpus.content, 0)
    assert cli("check", *args).exit_code == 0


def test_plain_pelican_copy_keeps_every_file_and_its_metadata(tmp_path):
    corpus = generate(10, tmp_path / "corpus")
    copy = plain.write_pelican_copy(corpus.content, tmp_path / "plain")
    assert len(list(copy.rglob("*.md"))) == corpus.files
    head = (copy / "briefs" / "notat-00001.md").read_text(encoding="utf-8").split("\n\n")[0]
    keys = [line.split(":", 1)[0] for line in head.splitlines()]
    assert keys[:4] == ["Title", "Slug", "Date", "Category"] and "Summary" in keys
    site = plain.write_hugo_site(tmp_path / "hugo", corpus.content)
    assert f"contentDir: {corpus.content}" in (site / "hugo.yaml").read_text(encoding="utf-8")


def test_tree_memory_counts_a_child_that_runs_beside_its_parent(tmp_path):
    """The peak of a run is its processes together: a parent holding 60 MB while its child holds
    40 MB peaks at 100 MB or more, and the interpreter's shared pages count once, not twice."""
    import sys

    from bench.measure import run_process

    child = (
        "b = bytearray(40 << 20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(0.5)"
    )
    parent = (
        "import subprocess, sys; b = bytearray(60 << 20); b[::4096] = b'x' * len(b[::4096]);"
        f" subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    )
    sample = run_process([sys.executable, "-c", parent], cwd=tmp_path)
    # (ru_maxrss would be no check here: it can include the pytest process a fork copied.)
    assert 100 <= sample.tree_mb < 130, sample


def test_plain_pelican_converts_markdown_with_our_settings_plus_meta():
    import runpy

    ours = runpy.run_path(str(plain.ROOT / "pelicanconf.py"))["MARKDOWN"]
    assert plain.MARKDOWN["extensions"] == ["markdown.extensions.meta", *ours["extensions"]]
    assert {k: v for k, v in plain.MARKDOWN.items() if k != "extensions"} == {
        k: v for k, v in ours.items() if k != "extensions"
    }
