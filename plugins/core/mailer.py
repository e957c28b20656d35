"""Sending through SMTP: reused connections, a global rate, retries with backoff, the ledger.

Pure core: no Pelican. The caller hands in the recipients and a function that builds each
message's bytes from its ledger row (Message-ID and Date come from the ledger, so a resend is
the same message).
"""

from __future__ import annotations

import logging
import queue
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from . import ledger as lg
from .errors import ConfigError, RunError
from .recipient import Recipient

log = logging.getLogger(__name__)

PASSWORD_ENV = "KOMMUNEPARTNER_SMTP_PASSWORD"
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_ENHANCED_TEMPORARY = re.compile(r"^\s*4\.\d{1,3}\.\d{1,3}\b")
_THROTTLING = re.compile(
    r"throttl|rate.?limit|too many|try (again )?later|temporar|greylist|slow down|busy",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SmtpUrl:
    """Where to send: smtp+starttls://user@host:587, smtps://user@host:465 or smtp://host:25."""

    scheme: str
    host: str
    port: int
    user: str = ""

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{who}{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpUrl:
    """Read an SMTP URL; a password in it is refused (it belongs in the environment)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"'{url}' is not an SMTP URL: {exc}", "--smtp") from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ConfigError(
            f"'{url}' is not an SMTP URL — write smtp+starttls://user@host:587,"
            " smtps://user@host:465 or smtp://host:25",
            "--smtp",
        )
    if parts.password is not None:
        raise ConfigError(f"put the SMTP password in ${PASSWORD_ENV}, not in the URL", "--smtp")
    return SmtpUrl(
        parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], unquote(parts.username or "")
    )


class Transport:
    """Opens authenticated SMTP sessions to one server."""

    def __init__(
        self,
        url: SmtpUrl,
        password: str | None,
        *,
        context: ssl.SSLContext | None = None,
        timeout: float = 60.0,
    ):
        if url.user and not password:
            raise ConfigError(
                f"no SMTP password: set ${PASSWORD_ENV} for {url.user}@{url.host}", PASSWORD_ENV
            )
        self.url, self.password, self.timeout = url, password, timeout
        # The system's trust store (SSL_CERT_FILE is honoured): never an unverified connection.
        self.context = context or ssl.create_default_context()

    def open(self) -> smtplib.SMTP:
        """A logged-in session; a refused login is a ConfigError (exit 2), nothing else is tried."""
        u = self.url
        try:
            if u.scheme == "smtps":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    u.host, u.port, timeout=self.timeout, context=self.context
                )
            else:
                smtp = smtplib.SMTP(u.host, u.port, timeout=self.timeout)
            # Without this, Nagle's algorithm and the server's delayed ACK hold the end of each
            # message for ~40 ms once it spans several TLS records: 20 messages/s at most.
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if u.scheme == "smtp+starttls":
                smtp.starttls(context=self.context)
                smtp.ehlo()
        except (OSError, smtplib.SMTPException) as exc:
            raise RunError(f"cannot connect to {u}: {exc}") from None
        if u.user:
            try:
                smtp.login(u.user, self.password or "")
            except smtplib.SMTPAuthenticationError as exc:
                _quit(smtp)
                raise ConfigError(
                    f"the SMTP server {u.host}:{u.port} refused the login of {u.user}"
                    f" ({exc.smtp_code} {_text(exc.smtp_error)}) — check ${PASSWORD_ENV}"
                    " and the user name in --smtp; nothing was sent",
                    "--smtp",
                ) from None
            except (OSError, smtplib.SMTPException) as exc:
                _quit(smtp)
                raise RunError(f"cannot log in to {u}: {exc}") from None
        return smtp


@dataclass(frozen=True)
class Backoff:
    """When to retry a deferred message: first, doubling, capped; give up after `give_up`."""

    first: float = 60.0
    factor: float = 2.0
    cap: float = 3600.0
    give_up: float = 48 * 3600.0

    def delay(self, attempts: int) -> float:
        return min(self.cap, self.first * self.factor ** max(0, attempts - 1))


DEFAULT_BACKOFF = Backoff()


class RateLimit:
    """A global limit of `per_second` transactions, spaced evenly; no burst credit builds up."""

    def __init__(self, per_second: float | None, monotonic: Callable[[], float] = time.monotonic):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.monotonic = monotonic
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def classify(code: int, reply: str) -> str:
    """delivered for 2xx; deferred for 4xx and for 5xx that say 4.x.x or throttling; else failed."""
    if 200 <= code < 300:
        return lg.DELIVERED
    if 500 <= code < 600 and not (_ENHANCED_TEMPORARY.match(reply) or _THROTTLING.search(reply)):
        return lg.FAILED
    return lg.DEFERRED


@dataclass
class Summary:
    """How a run ended, for every address of the plan."""

    total: int = 0
    delivered: int = 0
    already: int = 0  # delivered by an earlier run
    not_delivered: list[lg.Delivery] = field(default_factory=list)
    seconds: float = 0.0


Build = Callable[[Recipient, lg.Delivery], bytes]


class Mailer:
    """Delivers the due rows of one issue's ledger over `connections` reused SMTP sessions."""

    def __init__(
        self,
        transport: Transport,
        ledger: lg.Ledger,
        sender: str,
        *,
        connections: int = 1,
        rate: float | None = None,
        per_session: int = 0,
        backoff: Backoff = DEFAULT_BACKOFF,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        on_failed: Callable[[lg.Delivery], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        if connections < 1:
            raise ConfigError("--connections must be at least 1", "--connections")
        if rate is not None and rate <= 0:
            raise ConfigError("--rate must be above 0 messages per second", "--rate")
        self.transport, self.ledger, self.sender = transport, ledger, sender
        self.connections, self.backoff = connections, backoff
        self.per_session = per_session  # messages per session before a fresh one; 0: no limit
        self.rate = RateLimit(rate)
        self.clock, self.sleep = clock, sleep
        self.on_failed, self.progress = on_failed, progress
        self._lock = threading.Lock()
        self._fatal: BaseException | None = None
        self._done = 0
        self._total = 0

    def run(self, issue: str, recipients: Mapping[str, Recipient], build: Build) -> Summary:
        """Send until every recipient (by lower-cased address) is delivered, failed or expired."""
        started = time.monotonic()
        rows = {d.address: d for d in self.ledger.rows(issue) if d.address in recipients}
        already = sum(1 for d in rows.values() if d.state == lg.DELIVERED)
        self._total = sum(1 for d in rows.values() if d.state not in lg.FINAL)
        self._done = 0
        self._tick()
        if self._total:
            # Every session logs in before anything is marked: a wrong password sends nothing.
            sessions = [self.transport.open() for _ in range(self.connections)]
            self._deliver_all(issue, recipients, build, sessions)
        rows = {d.address: d for d in self.ledger.rows(issue) if d.address in recipients}
        delivered = [d for d in rows.values() if d.state == lg.DELIVERED]
        return Summary(
            total=len(recipients),
            delivered=len(delivered),
            already=already,
            not_delivered=[d for d in rows.values() if d.state != lg.DELIVERED],
            seconds=time.monotonic() - started,
        )

    def _deliver_all(self, issue, recipients, build, sessions) -> None:
        work: queue.Queue = queue.Queue()
        threads = [
            threading.Thread(
                target=self._worker,
                args=(issue, recipients, build, session, work),
                name=f"smtp-{i}",
                daemon=True,  # a Ctrl-C ends the run; the ledger keeps what was done
            )
            for i, session in enumerate(sessions)
        ]
        for t in threads:
            t.start()
        try:
            while self._fatal is None:
                due = [d for d in self.ledger.due(issue, self.clock()) if d.address in recipients]
                if due:
                    for d in due:
                        work.put(d)
                    work.join()
                    continue
                waiting = [
                    d.next_attempt_at or 0.0
                    for d in self.ledger.rows(issue)
                    if d.state == lg.DEFERRED and d.address in recipients
                ]
                if not waiting:
                    break
                pause = max(0.0, min(waiting) - self.clock())
                log.info("%d deferred; next retry in %.0f s", len(waiting), pause)
                self.sleep(pause)
        finally:
            for _ in threads:
                work.put(None)
            for t in threads:
                t.join(timeout=self.transport.timeout)
        if self._fatal is not None:
            raise self._fatal

    def _worker(self, issue, recipients, build, session, work: queue.Queue) -> None:
        box = _Session(self.transport, session, self.per_session)
        try:
            while True:
                d = work.get()
                try:
                    if d is None:
                        return
                    if self._fatal is None:
                        self._deliver(issue, recipients[d.address], build, box)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    with self._lock:
                        self._fatal = self._fatal or exc
                finally:
                    work.task_done()
        finally:
            box.close()

    def _deliver(self, issue: str, recipient: Recipient, build: Build, box: _Session) -> None:
        self.rate.wait()
        d = self.ledger.start(issue, recipient.email, self.clock())
        data = build(recipient, d)
        try:
            smtp = box.get()
        except RunError as exc:  # the server is unreachable for now: a temporary failure
            code, reply = 0, str(exc).removeprefix("error: ")
        else:
            try:
                code, reply = _transact(smtp, self.sender, recipient.email, data)
            except smtplib.SMTPResponseException as exc:  # e.g. DATA itself refused
                code, reply = exc.smtp_code, _text(exc.smtp_error)
            except (OSError, smtplib.SMTPException) as exc:
                code, reply = 0, f"connection lost: {exc}"
            if code == 421 or (code == 0 and box.smtp is smtp):
                box.drop()  # the server closed (or is closing) this session
            elif not 200 <= code < 300 and not _reset(smtp):
                box.drop()
        reply = f"{code} {reply}".strip() if code else reply
        self._record(issue, d, classify(code, reply) if code else lg.DEFERRED, reply)

    def _record(self, issue: str, d: lg.Delivery, outcome: str, reply: str) -> None:
        now = self.clock()
        if outcome == lg.DELIVERED:
            self.ledger.delivered(issue, d.address, reply, now)
        elif outcome == lg.FAILED:
            row = self.ledger.failed(issue, d.address, reply, now)
            if self.on_failed:
                with self._lock:
                    self.on_failed(row)
        else:
            first = d.first_attempt_at or now
            if now >= first + self.backoff.give_up:
                self.ledger.expired(issue, d.address, reply, now)
                outcome = lg.EXPIRED
            else:
                retry = min(now + self.backoff.delay(d.attempts), first + self.backoff.give_up)
                self.ledger.deferred(issue, d.address, reply, retry)
        if outcome in lg.FINAL:
            with self._lock:
                self._done += 1
                self._tick()

    def _tick(self) -> None:
        if self.progress:
            self.progress(self._done, self._total)


class _Session:
    """One worker's SMTP connection, reopened when the server dropped it."""

    def __init__(self, transport: Transport, smtp: smtplib.SMTP | None, limit: int = 0):
        self.transport, self.smtp, self.limit = transport, smtp, limit
        self.used = 0

    def get(self) -> smtplib.SMTP:
        if self.smtp is not None and self.limit and self.used >= self.limit:
            self.close()
        if self.smtp is None:
            self.smtp = self.transport.open()
            self.used = 0
        self.used += 1
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            _quit(self.smtp)
            self.smtp = None


def _transact(smtp: smtplib.SMTP, sender: str, to: str, data: bytes) -> tuple[int, str]:
    """One MAIL/RCPT/DATA transaction; the server's final reply (code, text)."""
    code, reply = smtp.mail(sender)
    if code == 250:
        code, reply = smtp.rcpt(to)
        if code in (250, 251):
            code, reply = smtp.data(data)
    return code, _text(reply)


def _reset(smtp: smtplib.SMTP) -> bool:
    """RSET after a refused transaction; False when the session is no longer usable."""
    try:
        return smtp.rset()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
