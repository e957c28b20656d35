"""`publish` through rclone to a local folder and to a real SFTP server (Debian's sshd on
127.0.0.1 with a throwaway host key and user key): the tree arrives, a dry run lists changes
and sends nothing, a second publish uploads nothing, a planted leak stops before any upload."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.publish.conftest import free_port, publish_site, stop, wait_for_port

PLANTED = """---
title: Sitat
---

Første avsnitt PRIVATESENTINELBRIEFBODY med ein halvfeit del PRIVATESENTINELBOLD.
"""


def remote_files(folder: Path) -> dict[str, str]:
    return snapshot(folder) if folder.exists() else {}


def check_round(site, remote: str, look) -> None:
    """Publish, publish again, dry-run an edit, publish it, then plant a leak."""
    first = site.publish(remote)
    assert first.exit_code == 0, first.output
    assert look() == site.published_files()  # the whole tree arrived, the marker stayed home
    assert "deleted 0," in first.output and "uploaded 0 files" not in first.output

    again = site.publish(remote)
    assert again.exit_code == 0, again.output
    count = len(site.published_files())
    assert f"uploaded 0 files, deleted 0, {count} unchanged" in again.output

    (site.content / "pages" / "om.md").write_text(
        (site.content / "pages" / "om.md").read_text() + "\nEin ny setning om programmet.\n"
    )
    (site.content / "briefs" / "turned-public.md").unlink()
    before = look()
    dry = site.publish(remote, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "  changed  om/index.html (+ .br, .gz)" in dry.output
    assert "  delete   notat/turned-public/index.html (+ .br, .gz)" in dry.output
    assert "Dry run: would upload" in dry.output and look() == before  # nothing sent

    changed = site.publish(remote)
    assert changed.exit_code == 0, changed.output
    assert look() == site.published_files()
    assert not any(p.startswith("notat/turned-public/") for p in look())

    (site.content / "pages" / "sitat.md").write_text(PLANTED)
    before = look()
    leak = site.publish(remote)
    assert leak.exit_code == 2
    assert (
        "content/briefs/partners-only-brief.md: partners-only text is in the output:" in leak.output
    )
    assert "sitat/index.html (“første avsnitt privatesentinelbriefbody med" in leak.output
    assert "nothing was published" in leak.output and "Traceback" not in leak.output
    assert look() == before  # nothing uploaded, nothing deleted
    (site.content / "pages" / "sitat.md").unlink()


def test_publish_to_a_local_folder(tmp_path):
    site = publish_site(tmp_path / "site")
    www = tmp_path / "www"
    check_round(site, str(www), lambda: remote_files(www))


@pytest.fixture
def sftp(tmp_path):
    """(rclone remote, served folder): sshd on a free port, keys made for this test only."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    assert os.path.exists(sshd), "openssh-server is missing: .ci/system-deps installs it"
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    for name in ("host", "user"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True
        )
    (keys / "authorized_keys").write_text((keys / "user.pub").read_text())
    port = free_port()
    (keys / "known_hosts").write_text(f"[127.0.0.1]:{port} {(keys / 'host.pub').read_text()}")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    config = keys / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {keys / 'host'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nPidFile {keys / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
    )
    log = tmp_path / "sshd.log"
    with log.open("ab") as errors:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [sshd, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        wait_for_port(port, proc, log)
        served = tmp_path / "srv"
        # disable_hashcheck: rclone would run md5sum over ssh once per file (0.3 s each here);
        # without hashes `publish` compares by downloading, the path a remote without hashes
        # takes. (With hashes, as by default, the same comparison was checked by hand.)
        remote = (
            f":sftp,host=127.0.0.1,port={port},user={getpass.getuser()},"
            f"key_file={keys / 'user'},known_hosts_file={keys / 'known_hosts'},"
            f"disable_hashcheck=true:{served}"
        )
        yield remote, served
    finally:
        stop(proc)


def test_publish_over_sftp(tmp_path, sftp):
    remote, served = sftp
    site = publish_site(tmp_path / "site")
    check_round(site, remote, lambda: remote_files(served))
