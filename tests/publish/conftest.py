"""Publishing tests: the leak fixture site published with the production settings, and the real
programs it is published through or served by (rclone, sshd, nginx), each on a free port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests elsewhere import ROOT from whichever conftest pytest put first on the path (as tests/mail's).
from tests.conftest import (
    FIXTURES,
    ROOT,  # noqa: F401
    TEST_SECRET,
    Cli,
    snapshot,
)

LEAKS = FIXTURES / "sites" / "leaks"
PRODUCTION = FIXTURES / "sites" / "production.py"
NOW = "2026-11-30 12:00"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 15) -> None:
    """Poll until something accepts on 127.0.0.1:port (or the process died)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited {proc.returncode}: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}: {log.read_text(errors='replace')}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class PublishSite:
    """The leak fixture's content and registry in a folder of its own, published with `publish`."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def build(self) -> Path:
        return self.root / "public"

    def publish(self, remote: str, *extra: str, env: dict | None = None):
        return Cli()(
            "publish",
            *("--to", remote, "--settings", PRODUCTION, "--content", self.content),
            *("--partners", LEAKS / "partners.yaml", "--output", self.build),
            *("--state", self.root / "state", "--now", NOW, *extra),
            env={"KOMMUNEPARTNER_SECRET": TEST_SECRET, "RCLONE_CONFIG": "/dev/null", **(env or {})},
        )

    def published_files(self) -> dict[str, str]:
        """What a remote should hold: the build folder without the build's own marker."""
        files = snapshot(self.build)
        files.pop(".kommunepartner-output")
        return files


def publish_site(root: Path) -> PublishSite:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(LEAKS / "content", root / "content")
    return PublishSite(root)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> tuple[PublishSite, Path]:
    """The leak fixture site published once to a local folder (the folder nginx serves)."""
    site = publish_site(tmp_path_factory.mktemp("published") / "site")
    www = site.root.parent / "www"
    result = site.publish(str(www))
    assert result.exit_code == 0, result.output
    os.chmod(site.root.parent, 0o755)  # nginx workers read it (pytest's folders are 0700)
    return site, www


@pytest.fixture(scope="module")
def nginx_for(tmp_path_factory) -> Iterator:
    """nginx_for(root) -> base URL: Debian's nginx with the block `hosting nginx` prints."""
    procs: list[subprocess.Popen] = []

    def start(root: Path) -> str:
        assert shutil.which("nginx"), "nginx is missing: .ci/system-deps installs it"
        work = tmp_path_factory.mktemp("nginx")
        port = free_port()
        block = Cli()(
            "hosting", "nginx", "--root", root, "--listen", f"127.0.0.1:{port}",
            "--settings", PRODUCTION,
        )  # fmt: skip
        assert block.exit_code == 0, block.output
        (work / "site.conf").write_text(block.output)
        temp = " ".join(
            f"{kind}_temp_path {work}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root;" if os.geteuid() == 0 else ""  # the published folder is root's
        (work / "nginx.conf").write_text(
            "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n"
            f"{user}\nworker_processes 1;\npid {work}/nginx.pid;\ndaemon off;\n"
            "events { worker_connections 64; }\n"
            "http { include /etc/nginx/mime.types; default_type application/octet-stream;"
            f" access_log off; {temp} include {work}/site.conf; }}\n"
        )
        log = work / "error.log"
        with open(log, "ab") as errors:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(log)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        procs.append(proc)
        wait_for_port(port, proc, log)
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in procs:
        stop(proc)
