"""Preview rebuilds in one process: only what an edit affects is rendered, the rest is copied,
and the result is the same site a cold build makes (apart from what differs in every build)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.same_site import normalised_tree
from kommunepartner.build import incremental
from tests.conftest import MINIMAL_REGISTRY, TEST_SECRET, output_texts

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-30 12:00"
SECRET_BODY = "Hemmeleg brødtekst berre for partnarar"


def brief(n: int, body: str = "", **meta: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return (
        f"---\ntitle: Notat {n}\ndate: 2026-11-0{n}\nsummary: Samandrag {n}\n"
        f"topics: [energi, tema-{n % 2}]\n{extra}---\n\n{body or f'Brødtekst {n}.'}\n"
    )


CONTENT = {
    **{f"briefs/notat-{n}.md": brief(n) for n in range(1, 6)},
    "briefs/lukka.md": brief(6, SECRET_BODY, access="partners"),
    "pages/om.md": "---\ntitle: Om oss\n---\n\nOm programmet.\n",
    "newsletters/perspektiv-001.md": (
        "---\ntitle: Perspektiv 1\ndate: 2026-11-10\nnewsletter: perspektiv\nnumber: 1\n"
        "preheader: Nytt frå programmet\nfeatures: [notat-1, treff]\n---\n\nLeiar.\n"
    ),
    "events/treff.md": (
        "---\ntitle: Partnartreff\nstart: 2026-12-10 10:00\nend: 2026-12-10 12:00\n"
        "series: partnertreff\nformat: hybrid\nlocation: {name: Bergen}\n"
        "online_url: https://meet.example.org/treff\nsummary: Treff for partnarane.\n"
        "registration: {email: post@example.org, deadline: 2026-12-01 12:00}\n---\n\nProgram.\n"
    ),
}
REGISTRY = (
    MINIMAL_REGISTRY
    + """
  - kommune: "1103"
    status: active
    since: 2026-01-01
    key_version: 1
"""
)

_SEALED = re.compile(
    r'(<script type="application/json" class="kp-sealed"[^>]*?(?: data-kp-part="([^"]*)")?>)'
    r"(.*?)(</script>)",
    re.S,
)


def normalised(out: Path) -> dict[str, str]:
    """Every file's text with the build id replaced and each sealed payload opened."""
    tree = normalised_tree(out, TEST_SECRET.encode())
    return {name: data.decode("utf-8", errors="replace") for name, data in tree.items()}


def stats(site) -> incremental.Previous:
    latest = incremental.current(site.output.resolve())
    assert latest is not None
    return latest


def cold(site, into: str = "cold") -> Path:
    out = site.root / into
    site.cli(
        "build",
        *("--content", site.content, "--partners", site.partners, "--output", out),
        *("--state", site.state, "--now", NOW),
        env={"KOMMUNEPARTNER_SECRET": TEST_SECRET},
    )
    incremental.settle(out.resolve())
    return out


def test_a_body_edit_copies_the_other_pages_and_equals_a_cold_build(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    assert stats(site).reused == 0
    site.write(
        {"briefs/notat-2.md": brief(2, "Ny brødtekst frå redaktøren.")}, registry=REGISTRY
    ).build(NOW)
    latest = stats(site)
    # notat-1,3,4,5, the page, the issue, three topic lists and three section lists are linked;
    # the edited brief, the sealed one and the event (clock, sealed address) are rendered.
    assert (latest.reused, latest.rendered) == (12, 3)
    incremental.settle(site.output.resolve())
    ours, reference = normalised(site.output), normalised(cold(site))
    assert sorted(ours) == sorted(reference)
    for name, text in reference.items():
        assert ours[name] == text, name
    assert "Ny brødtekst frå redaktøren." in ours["notat/notat-2/index.html"]
    assert SECRET_BODY in ours["notat/lukka/index.html"]  # opened with the partner's key


def search_after_an_edit(site, new_body: str) -> list[str]:
    """Build, edit brief 3's body, rebuild in the same process; the index once it follows."""
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    site.write({"briefs/notat-3.md": brief(3, new_body)}, registry=REGISTRY).build(NOW)
    assert stats(site).reused == 12
    incremental.settle(site.output.resolve())
    return [t for p, t in output_texts(site.output / "pagefind" / "fragment")]


def test_search_follows_the_edit_once_the_background_index_is_done(site):
    index = search_after_an_edit(site, "Vasskraftsamarbeid i fjorden.")
    assert any("Vasskraftsamarbeid i fjorden." in t for t in index)
    assert not any("Brødtekst 3." in t for t in index)


def test_search_follows_the_edit_when_temporary_files_live_on_another_file_system(
    site, monkeypatch
):
    """The new index is renamed into the output: it must be made on the output's file system."""
    shm = Path("/dev/shm")
    assert shm.is_dir() and shm.stat().st_dev != site.root.stat().st_dev
    monkeypatch.setattr(tempfile, "tempdir", str(shm))
    index = search_after_an_edit(site, "Straumnettet i Sunnfjord.")
    assert any("Straumnettet i Sunnfjord." in t for t in index)
    deadline = time.monotonic() + 10  # its work folder is deleted by a child process, after it
    while list(site.root.glob(".build-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p.name for p in site.root.glob(".build-*")] == []


def test_the_sealed_pages_are_sealed_as_a_cold_build_seals_them_and_nothing_leaks(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    site.write({"briefs/notat-1.md": brief(1, "Endra.")}, registry=REGISTRY).build(NOW)
    assert stats(site).reused > 0
    again = (site.output / "notat" / "lukka" / "index.html").read_text(encoding="utf-8")
    # Sealing is reproducible: the same text for the same partners gives the same payload.
    cold_page = (cold(site) / "notat" / "lukka" / "index.html").read_text(encoding="utf-8")
    assert _SEALED.search(again).group(3) == _SEALED.search(cold_page).group(3)
    incremental.settle(site.output.resolve())
    assert [p for p, text in output_texts(site.output) if SECRET_BODY in text] == []


def test_a_metadata_edit_makes_a_full_build(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    site.write(
        {"briefs/notat-4.md": brief(4).replace("Samandrag 4", "Nytt samandrag")}, registry=REGISTRY
    ).build(NOW)
    assert stats(site).reused == 0
    assert "Nytt samandrag" in (site.output / "notat" / "index.html").read_text(encoding="utf-8")


def test_a_partner_that_ends_gets_no_key_in_any_page_of_the_rebuild(site):
    site.write(CONTENT, registry=REGISTRY).build(NOW)
    site.write({}, registry=REGISTRY.replace("status: active", "status: ended")).build(NOW)
    assert stats(site).reused == 0
    texts = dict(normalised(site.output))  # 4601 still opens everything
    assert SECRET_BODY in texts["notat/lukka/index.html"]
    for path, text in output_texts(site.output):
        for m in _SEALED.finditer(text):
            partners = [k["partner"] for k in json.loads(m.group(3))["keys"]]
            assert partners == ["4601"], path


def test_a_template_change_makes_a_full_build(site, tmp_path):
    root = ROOT
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"THEME = {str(root / 'themes' / 'kommunepartner')!r}\n"
        f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n",
        encoding="utf-8",
    )
    site.write(CONTENT, registry=REGISTRY).build(NOW, "--settings", settings)
    site.write({"briefs/notat-1.md": brief(1, "Endra.")}, registry=REGISTRY).build(
        NOW, "--settings", settings
    )
    assert stats(site).reused == 12
    base = (root / "themes" / "kommunepartner" / "templates" / "base.html").read_text()
    (overrides / "base.html").write_text(base.replace("</body>", "<!-- ny mal --></body>"))
    site.build(NOW, "--settings", settings)
    assert stats(site).reused == 0
    assert "<!-- ny mal -->" in (site.output / "notat" / "notat-3" / "index.html").read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_preview_server_rebuilds_an_edit_by_linking_the_other_pages(site):
    """`tasks.py serve` for real: an edit is served after a rebuild that rendered one page."""
    site.write(CONTENT, registry=REGISTRY)
    port = free_port()
    command = [sys.executable, str(ROOT / "tasks.py"), "-v", "serve", "--port", str(port)]
    for option in ("content", "partners", "output"):
        command += [f"--{option}", str(getattr(site, option))]
    env = {**os.environ, "KOMMUNEPARTNER_SECRET": TEST_SECRET}
    lines: queue.Queue[str] = queue.Queue()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
    reader.start()

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} from tasks.py serve")

    try:
        wait_for("Serving")
        time.sleep(0.5)  # the watcher is set up
        site.write({"briefs/notat-2.md": brief(2, "Endra i førehandsvisinga.")}, registry=REGISTRY)
        assert "12 pages linked from the previous build, 3 rendered" in wait_for("preview rebuild")
        wait_for("Rebuilt")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/notat/notat-2/") as page:
            assert "Endra i førehandsvisinga." in page.read().decode()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        proc.stdout.close()
