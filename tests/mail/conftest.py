"""A real SMTP server (aiosmtpd) on 127.0.0.1 with STARTTLS and AUTH, a trustme certificate,
fault injection, and a record of every session and transaction."""

from __future__ import annotations

import socket
import ssl
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

USER, PASSWORD = "news", "s3cret-pw"
TEST_SECRET = "mail-test-secret-0123456789-abcdefghijklmnop"  # never the repository's .kp-secret

# fault(stage, rcpt, attempt) -> an SMTP reply refusing this attempt, or None to accept it.
Fault = Callable[[str, str, int], "str | None"]


@dataclass
class Received:
    """One accepted message as the server saw it."""

    at: float  # time.monotonic() when accepted
    rcpt: str
    data: bytes


@dataclass
class Recorder:
    """The aiosmtpd handler: accepts, refuses on `fault`, and counts sessions and attempts."""

    fault: Fault | None = None
    received: list[Received] = field(default_factory=list)
    attempts: Counter = field(default_factory=Counter)  # per lower-cased rcpt: RCPT commands
    open_sessions: int = 0
    peak_sessions: int = 0
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def opened(self) -> None:
        with self.lock:
            self.open_sessions += 1
            self.sessions += 1
            self.peak_sessions = max(self.peak_sessions, self.open_sessions)

    def closed(self) -> None:
        with self.lock:
            self.open_sessions -= 1

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.attempts[address.lower()] += 1
            n = self.attempts[address.lower()]
        refusal = self.fault and self.fault("rcpt", address.lower(), n)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rcpt = envelope.rcpt_tos[0].lower()
        refusal = self.fault and self.fault("data", rcpt, self.attempts[rcpt])
        if refusal:
            return refusal
        with self.lock:
            self.received.append(Received(time.monotonic(), rcpt, envelope.original_content))
        return "250 2.0.0 OK queued"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def by_rcpt(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for r in list(self.received):
            out.setdefault(r.rcpt, []).append(r)
        return out


class _CountingSMTP(SMTP):
    """Tells the handler when a client session opens and closes (STARTTLS is the same session)."""

    _counted = False

    def connection_made(self, transport):
        fresh = self._original_transport is None
        super().connection_made(transport)
        if fresh and not self._counted:
            self._counted = True
            self.event_handler.opened()

    def connection_lost(self, error):
        super().connection_lost(error)
        if self._counted:
            self._counted = False
            self.event_handler.closed()


class _Controller(Controller):
    def factory(self):
        return _CountingSMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class SmtpServer:
    """A running server: its URL for `--smtp`, the recorder, and the CA file clients trust."""

    host: str
    port: int
    recorder: Recorder
    ca_file: Path
    user: str = USER
    password: str = PASSWORD

    @property
    def url(self) -> str:
        return f"smtp+starttls://{USER}@{self.host}:{self.port}"

    def env(self, password: str = PASSWORD) -> dict[str, str]:
        """Environment for a client: the password, the test CA as trust store, a site secret."""
        return {
            "KOMMUNEPARTNER_SMTP_PASSWORD": password,
            "SSL_CERT_FILE": str(self.ca_file),
            "KOMMUNEPARTNER_SECRET": TEST_SECRET,
        }

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def smtp_server(ca, ca_file):
    """smtp_server(fault=None) -> SmtpServer; STARTTLS required, AUTH required after it."""
    controllers = []

    def start(fault: Fault | None = None) -> SmtpServer:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        recorder = Recorder(fault)

        def auth(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
            return AuthResult(success=ok, handled=False)  # handled=False: a refusal gets a 535

        ctl = _Controller(
            recorder,
            hostname="127.0.0.1",
            port=free_port(),
            tls_context=context,
            require_starttls=True,
            authenticator=auth,
            auth_required=True,
            auth_require_tls=True,
        )
        ctl.start()
        controllers.append(ctl)
        # Controller.start() connects once to check the server is up: not a client session.
        deadline = time.monotonic() + 5
        while recorder.open_sessions and time.monotonic() < deadline:
            time.sleep(0.01)
        recorder.sessions = recorder.peak_sessions = 0
        return SmtpServer("127.0.0.1", ctl.port, recorder, ca_file)

    yield start
    for ctl in controllers:
        ctl.stop()


# --- a small site to send from -------------------------------------------------------------

NOW = "2026-06-01 09:00"
REGISTRY = """
fee_tiers:
  - {min_population: 0, max_population: 19999, fee: 50000}
  - {min_population: 20000, fee: 100000}
access:
  briefs: {default: public}
partners:
  - kommune: "4601"
    status: active
    since: 2026-01-01
    contacts:
      - {name: Kari Testesen, email: kari@example.org, role: kommunedirektør}
      - {name: Ola Testesen, email: ola@example.org, role: ordførar}
  - kommune: "4602"
    status: ended
    since: 2025-01-01
    until: 2025-12-31
    contacts:
      - {name: Per Slutt, email: per@example.org, role: rådgjevar}
  - kommune: "1114"
    status: pilot
    since: 2026-01-01
    contacts:
      - {name: Anne Pilot, email: anne@example.org, role: kontaktperson}
"""
BRIEF = """
---
title: "Havvind og hamner"
date: 2026-04-01
summary: "Kva havvind betyr for hamnene i fylket."
lang: nn
---
Hamnene må planleggje no.
"""
ISSUE = """
---
title: "Perspektiv {number}"
date: 2026-05-01
newsletter: perspektiv
number: {number}
lang: nn
preheader: "Havvind og hamner i nummer {number}."
features: [havvind]
---
Velkomen til nummer {number} av *Perspektiv*.
"""


@dataclass
class MailSite:
    """content/, partners.yaml, a settings file and a state folder, in tmp_path."""

    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def settings(self) -> Path:
        return self.root / "settings.py"

    def args(self) -> list[str]:
        """The options every `newsletter send` of this site takes."""
        return [
            *("--content", self.root / "content", "--partners", self.root / "partners.yaml"),
            *("--settings", self.settings, "--state", self.state, "--now", NOW),
        ]

    def subscribers(self, n: int) -> list[str]:
        """n public subscribers (nn, nb and no preference in turn); their addresses."""
        emails = [f"sub{i:05d}@example.net" for i in range(n)]
        langs = ["", "nn", "nb"]
        lines = ["email,name,lang,newsletters"]
        lines += [f"{e},Abonnent {i},{langs[i % 3]},perspektiv" for i, e in enumerate(emails)]
        (self.state / "subscribers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return emails

    def configure(self, **settings: str) -> None:
        """Settings on top of the project's development settings (KP_UNSUBSCRIBE_URL, DKIM)."""
        lines = [
            "from pelicanconf import *  # noqa",
            *(f"{k} = {v!r}" for k, v in settings.items()),
        ]
        self.settings.write_text("\n".join(lines) + "\n", encoding="utf-8")


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mail_site(tmp_path) -> MailSite:
    site = MailSite(tmp_path)
    for rel, text in {
        "content/briefs/havvind.md": BRIEF,
        "content/newsletters/nr-1.md": ISSUE.replace("{number}", "1"),
        "content/newsletters/nr-2.md": ISSUE.replace("{number}", "2"),
        "partners.yaml": REGISTRY,
    }.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    site.state.mkdir()
    site.configure()
    return site
