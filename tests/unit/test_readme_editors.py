"""The README's examples for editors are valid content, and its sample `check` output is real."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "fixtures" / "valid" / "partners.yaml"


def editors_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## For editors", 1)[1].split("\n## ", 1)[0]


def example(heading: str) -> str:
    part = editors_section().split(f"### {heading}", 1)[1]
    return re.search(r"```yaml\n(.*?)```", part, re.S).group(1)


def test_the_examples_pass_check(cli, tmp_path, monkeypatch):
    files = {
        "briefs/havvind-i-nordsjoen.md": example("A brief"),
        "newsletters/perspektiv-4.md": example("A newsletter issue"),
        "events/tenk-nytt-havvind.md": example("An event"),
    }
    for rel, text in files.items():
        (tmp_path / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / rel).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--content", "content", "--partners", REGISTRY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 3 content files")


def test_the_sample_check_output_is_what_check_prints(cli, tmp_path, monkeypatch):
    block = editors_section().split("```text\n$ ./tasks.py check\n", 1)[1].split("```")[0]
    (tmp_path / "content" / "briefs").mkdir(parents=True)
    (tmp_path / "content" / "events").mkdir()
    (tmp_path / "content" / "briefs" / "havvind-i-nordsjoen.md").write_text(
        "---\ntitle: Havvind i Nordsjøen: kva må kommunane gjere?\ndate: 2026-03-01\n"
        "summary: Kva havvind betyr.\n---\n",
        encoding="utf-8",
    )
    (tmp_path / "content" / "events" / "tenk-nytt-mars.md").write_text(
        '---\ntitle: "Tenk nytt: havvind"\nstart: 2026-03-10 10:00\nend: 2026-03-10 09:00\n'
        "series: tenk-nytt\nformat: digitalt\nlang: no\n---\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--content", "content", "--partners", REGISTRY)
    assert result.exit_code == 2
    assert result.stderr == block
