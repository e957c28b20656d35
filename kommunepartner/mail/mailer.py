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
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kommunepartner.base.errors import ConfigError, RunError
from kommunepartner.mail import ledger as lg
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.smtp import (
    PASSWORD_ENV,
    Session,
    SmtpUrl,
    Transport,
    begin,
    final_reply,
    parse_smtp_url,
    reply_text,
    reset,
)

log = logging.getLogger(__name__)

_ENHANCED_TEMPORARY = re.compile(r"^\s*4\.\d{1,3}\.\d{1,3}\b")
_THROTTLING = re.compile(
    r"throttl|rate.?limit|too many|try (again )?later|temporar|greylist|slow down|busy",
    re.IGNORECASE,
)


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


@dataclass
class _Job:
    """One queue entry (None: stop) as a worker handles it."""

    item: lg.Delivery | None
    started: lg.Delivery | None = None  # the row once marked in-flight
    data: bytes = b""
    error: BaseException | None = None


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
        except BaseException as exc:  # e.g. Ctrl-C: workers stop after their current message
            with self._lock:
                self._fatal = self._fatal or exc
            raise
        finally:
            for _ in threads:
                work.put(None)
            for t in threads:
                t.join(timeout=self.transport.timeout)
        if self._fatal is not None:
            raise self._fatal

    def _worker(self, issue, recipients, build, session, work: queue.Queue) -> None:
        box = Session(self.transport, session, self.per_session)
        ahead: list[_Job] = []  # the next delivery, taken while the server read the last one
        try:
            while True:
                job = ahead.pop() if ahead else _Job(work.get())
                try:
                    if job.item is None:
                        return
                    if job.error is not None:
                        raise job.error
                    if self._fatal is None:
                        self._deliver(issue, recipients, build, box, job, work, ahead)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    with self._lock:
                        self._fatal = self._fatal or exc
                finally:
                    work.task_done()
        finally:
            box.close()

    def _deliver(self, issue, recipients, build: Build, box: Session, job, work, ahead) -> None:
        recipient = recipients[job.item.address]
        if job.started is None:
            self._start(issue, recipient, build, job)
        d, data = job.started, job.data
        self.rate.wait()
        try:
            smtp = box.get()
        except RunError as exc:  # the server is unreachable for now: a temporary failure
            code, reply = 0, str(exc).removeprefix("error: ")
        else:
            try:
                refused = begin(smtp, self.sender, recipient.email, data)
                if refused is None:  # sent: the server is reading it
                    self._take_next(issue, recipients, build, work, ahead)
                code, reply = refused or final_reply(smtp)
            except smtplib.SMTPResponseException as exc:  # e.g. DATA itself refused
                code, reply = exc.smtp_code, reply_text(exc.smtp_error)
            except (OSError, smtplib.SMTPException) as exc:
                code, reply = 0, f"connection lost: {exc}"
            if code == 421 or (code == 0 and box.smtp is smtp):
                box.drop()  # the server closed (or is closing) this session
            elif not 200 <= code < 300 and not reset(smtp):
                box.drop()
        reply = f"{code} {reply}".strip() if code else reply
        self._record(issue, d, classify(code, reply) if code else lg.DEFERRED, reply)

    def _start(self, issue: str, recipient: Recipient, build: Build, job: _Job) -> None:
        """Mark the delivery in-flight (committed), then build its bytes."""
        job.started = self.ledger.start(issue, recipient.email, self.clock())
        job.data = build(recipient, job.started)

    def _take_next(self, issue, recipients, build: Build, work: queue.Queue, ahead) -> None:
        """While the server reads a message: take this worker's next delivery off the queue,
        mark it in-flight and build it, so neither waits for the reply. Marking in-flight
        early is safe (an unsent in-flight row is just sent by the next run); the reply is
        still recorded as soon as it arrives. An error waits for that delivery's turn."""
        if self._fatal is not None:
            return
        try:
            job = _Job(work.get_nowait())
        except queue.Empty:
            return
        ahead.append(job)
        if job.item is not None:
            try:
                self._start(issue, recipients[job.item.address], build, job)
            except BaseException as exc:  # noqa: BLE001 - raised in its own turn
                job.error = exc

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


__all__ = [
    "PASSWORD_ENV",
    "Backoff",
    "Mailer",
    "RateLimit",
    "SmtpUrl",
    "Summary",
    "Transport",
    "classify",
    "parse_smtp_url",
]
