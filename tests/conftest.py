"""Shared fixtures: the CLI, small fixture sites built into tmp_path, Chromium, a local HTTP server.

Fixtures for one kind of test live in that folder's own conftest.py (tests/mail/, tests/browser/).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from kommunepartner.build.serve import make_server
from kommunepartner.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# Property tests: no per-example deadline (CI shares 2 cores with Chromium), failures reproducible.
settings.register_profile(
    "kp", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kp")

CHROMIUM = os.environ.get("KP_CHROMIUM", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and other things a person may want to look at


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """No test reads a developer's real secret or SMTP password from the environment."""
    monkeypatch.delenv("KOMMUNEPARTNER_SECRET", raising=False)
    monkeypatch.delenv("KOMMUNEPARTNER_SMTP_PASSWORD", raising=False)


class Cli:
    """Runs `./tasks.py ARGS` in-process through click's runner."""

    def __call__(self, *args: str, env: dict | None = None, input: str | None = None):
        runner = CliRunner()
        return runner.invoke(
            cli_main, [str(a) for a in args], env=env, input=input, catch_exceptions=False
        )


@pytest.fixture
def cli() -> Cli:
    return Cli()


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write {relative path: text} under root; text is dedented so tests can indent it."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")


MINIMAL_REGISTRY = """
fee_tiers:
  - {min_population: 0, max_population: 19999, fee: 50000}
  - {min_population: 20000, fee: 100000}
access:
  briefs: {default: public}
partners:
  - kommune: "4601"
    status: pilot
    since: 2026-01-01
    key_version: 1
    contacts:
      - {name: Kari Testesen, email: kari@example.org, role: kommunedirektør}
"""


class SiteFactory:
    """Makes a fixture site (content/ + partners.yaml + state/) in tmp_path and builds it."""

    def __init__(self, root: Path, cli: Cli):
        self.root, self.cli = root, cli
        self.content = root / "content"
        self.partners = root / "partners.yaml"
        self.output = root / "output"
        self.state = root / "state"

    def write(self, files: dict[str, str | bytes], registry: str = MINIMAL_REGISTRY) -> SiteFactory:
        write_files(self.content, files)
        write_files(self.root, {"partners.yaml": registry})
        return self

    def build(
        self, now: str = "2026-11-30 12:00", *extra: str, expect: int = 0, secret: str = TEST_SECRET
    ):
        result = self.cli(
            "build",
            "--content",
            self.content,
            "--partners",
            self.partners,
            "--output",
            self.output,
            "--state",
            self.state,
            "--now",
            now,
            *extra,
            env={"KOMMUNEPARTNER_SECRET": secret},
        )
        assert result.exit_code == expect, result.output
        return result

    def program(
        self,
        now: str = "2026-11-30 12:00",
        *,
        env: dict | None = None,
        cwd: Path | None = None,
        **popen,
    ):
        """`./tasks.py build` as a program, not through click's runner: the build ends in
        a process it execs. Waits and captures text; with Popen arguments, returns the Popen."""
        command = [sys.executable, str(ROOT / "tasks.py"), "build", "--now", now]
        for option in ("content", "partners", "output", "state"):
            command += [f"--{option}", str(getattr(self, option))]
        env = {**os.environ, "KOMMUNEPARTNER_SECRET": TEST_SECRET, **(env or {})}
        cwd = cwd or self.root
        if popen:
            return subprocess.Popen(command, env=env, cwd=cwd, **popen)
        return subprocess.run(
            command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120
        )


@pytest.fixture
def site(tmp_path, cli) -> SiteFactory:
    return SiteFactory(tmp_path, cli)


@pytest.fixture
def valid_site(site) -> SiteFactory:
    """The valid fixture site (tests/fixtures/valid) copied into a SiteFactory, not yet built."""
    shutil.copytree(FIXTURES / "valid" / "content", site.content)
    shutil.copyfile(FIXTURES / "valid" / "partners.yaml", site.partners)
    return site


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) by relative path -> sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def pdf_text(path: Path) -> str:
    """The text of a PDF as a reader sees it (pdftotext), and its metadata (pdfinfo)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    info = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return text + "\n" + info


def output_texts(out: Path) -> Iterator[tuple[Path, str]]:
    """Every file of a build as text (.gz decompressed, a PDF's text and metadata as pdftotext
    and pdfinfo read them, other binary decoded leniently), for sweeps."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            yield path, pdf_text(path)
            continue
        data = path.read_bytes()
        if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
            with contextlib.suppress(OSError):
                data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


def build_fixture_site(root: Path, site: Path, now: str, settings: Path | None = None) -> Path:
    """Copy a fixture site's content (tests/fixtures/sites/X) into root, build it; the output."""
    shutil.copytree(site / "content", root / "content")
    args = [
        "build",
        "--content",
        root / "content",
        "--partners",
        site / "partners.yaml",
        "--output",
        root / "out",
        "--state",
        root / "state",
        "--now",
        now,
    ]
    if settings is not None:
        args += ["--settings", settings]
    result = Cli()(*args, env={"KOMMUNEPARTNER_SECRET": TEST_SECRET})
    assert result.exit_code == 0, result.output
    return root / "out"


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """The folder served on 127.0.0.1 like a static host (with its 404.html); the base URL."""
    server = make_server(directory, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def serve_dir():
    """serve_dir(path) -> base URL, for as long as the test runs."""
    with contextlib.ExitStack() as stack:
        yield lambda directory: stack.enter_context(served(directory))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: Debian's Chromium (never `playwright install`, it downloads a browser)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
