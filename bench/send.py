"""Sending throughput: our mailer (ledger, rate, retries) beside raw smtplib, same connections.

Usage: python bench/send.py [MESSAGES] [--repeats N]

Sends MESSAGES (default 2,000) identical ~30 KB newsletter-sized messages to a local aiosmtpd
(STARTTLS + AUTH, trustme certificate) running in its own process, in three ways: one
connection per message, one reused connection, and 4 connections. Each way runs with our
mailer (SQLite ledger on disk, two commits per message) and with raw smtplib; the figures are
medians of several runs, in messages per second. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import smtplib
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from kommunepartner.mail import ledger as lg
from kommunepartner.mail.mailer import Mailer, Transport, parse_smtp_url
from kommunepartner.mail.recipient import Recipient

ROOT = Path(__file__).resolve().parents[1]

USER, PASSWORD, SENDER = "bench", "bench-password", "perspektiv@example.org"
MODES = (
    ("one connection per message", 1, 1),
    ("one reused connection", 1, 0),
    ("4 connections", 4, 0),
)


def serve(port_file: str, cert_dir: str) -> None:
    """The server process: aiosmtpd with STARTTLS + AUTH that accepts and discards."""
    import logging

    import trustme
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # one deprecation line per login
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(Path(cert_dir) / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    class Discard:
        async def handle_DATA(self, server, session, envelope):
            return "250 2.0.0 OK"

    def auth(server, session, envelope, mechanism, data):
        ok = data.login == USER.encode() and data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    with socket.socket() as s:  # aiosmtpd needs a real port number to check itself
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctl = Controller(
        Discard(),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=auth,
        auth_required=True,
        auth_require_tls=True,
    )
    ctl.start()
    Path(port_file).write_text(str(port))
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        ctl.stop()


def sample_message() -> bytes:
    """A message of newsletter size: text and ~25 KB of HTML, multipart/alternative."""
    msg = EmailMessage()
    msg["From"] = f"Perspektiv <{SENDER}>"
    msg["To"] = "lesar@example.net"
    msg["Subject"] = "Perspektiv nr. 1: havvind, hamner og straumnettet"
    msg["Message-ID"] = "<bench@example.org>"
    paragraph = "Kommunane på Vestlandet planlegg for havvind og nye hamner. " * 8
    msg.set_content((paragraph + "\n\n") * 12, cte="quoted-printable")
    html = "".join(f"<tr><td style='padding:8px'><p>{paragraph}</p></td></tr>" for _ in range(45))
    msg.add_alternative(f"<html><body><table>{html}</table></body></html>", subtype="html")
    return msg.as_bytes(policy=SMTP)


def raw_smtplib(
    url, context, data: bytes, rcpts: list[str], connections: int, per: int, nodelay: bool
) -> None:
    """The baseline: smtplib.sendmail over the same kind of connections, nothing recorded."""

    def session() -> smtplib.SMTP:
        s = smtplib.SMTP(url.host, url.port, timeout=30)
        if nodelay:
            s.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.starttls(context=context)
        s.login(USER, PASSWORD)
        return s

    work: queue.Queue = queue.Queue()
    for r in rcpts:
        work.put(r)

    def worker() -> None:
        s, used = session(), 0
        while True:
            try:
                rcpt = work.get_nowait()
            except queue.Empty:
                break
            if per and used >= per:
                s.quit()
                s, used = session(), 0
            s.sendmail(SENDER, [rcpt], data)
            used += 1
        s.quit()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def ours(url, context, data: bytes, rcpts: list[str], connections: int, per: int, tmp: Path):
    """Our mailer with a fresh ledger file; every message delivered or the run is void."""
    for old in tmp.glob("ledger*"):
        old.unlink()
    ledger = lg.Ledger(tmp / "ledger.sqlite")
    ledger.plan("bench", [(r, "public", "nn", f"<{r}>") for r in rcpts], time.time())
    mailer = Mailer(
        Transport(url, PASSWORD, context=context, timeout=30),
        ledger,
        SENDER,
        connections=connections,
        per_session=per,
    )
    people = {r: Recipient(r) for r in rcpts}
    summary = mailer.run("bench", people, lambda recipient, delivery: data)
    ledger.close()
    if summary.delivered != len(rcpts):
        raise SystemExit(f"bench: only {summary.delivered} of {len(rcpts)} delivered")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("messages", nargs="?", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--serve", nargs=2, metavar=("PORT_FILE", "CERT_DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve:
        serve(*args.serve)
        return 0
    with tempfile.TemporaryDirectory(prefix="kp-bench-send-") as tmpdir:
        tmp = Path(tmpdir)
        port_file = tmp / "port"
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port_file), tmpdir], stdin=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text():
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("bench: the SMTP server did not start")
                time.sleep(0.05)
            url = parse_smtp_url(f"smtp+starttls://{USER}@127.0.0.1:{port_file.read_text()}")
            context = ssl.create_default_context(cafile=str(tmp / "ca.pem"))
            data = sample_message()
            rcpts = [f"lesar{i:05d}@example.net" for i in range(args.messages)]
            results = {}
            for name, connections, per in MODES:
                times = {"ours": [], "smtplib": [], "nodelay": []}
                for _ in range(args.repeats):  # alternate, so drift in load hits both alike
                    for who in times:
                        started = time.perf_counter()
                        if who == "ours":
                            ours(url, context, data, rcpts, connections, per, tmp)
                        else:
                            nodelay = who == "nodelay"
                            raw_smtplib(url, context, data, rcpts, connections, per, nodelay)
                        times[who].append(len(rcpts) / (time.perf_counter() - started))
                results[name] = {who: statistics.median(v) for who, v in times.items()}
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    print(
        f"{args.messages} messages of {len(data) / 1024:.0f} KB, STARTTLS + AUTH, median of"
        f" {args.repeats} runs, messages per second; load {os.getloadavg()[0]:.2f}"
    )
    print(
        "ours = our mailer + SQLite ledger (sets TCP_NODELAY); smtplib = plain smtplib.sendmail;"
        " +nodelay = smtplib with TCP_NODELAY set, as ours does"
    )
    print(f"{'':28}  {'ours':>8}  {'smtplib':>8}  {'+nodelay':>8}  {'ours/+nodelay':>13}")
    for name, r in results.items():
        print(
            f"{name:28}  {r['ours']:8.1f}  {r['smtplib']:8.1f}  {r['nodelay']:8.1f}"
            f"  {r['ours'] / r['nodelay']:13.2f}"
        )
    print(json.dumps({"messages": args.messages, "repeats": args.repeats, "per_second": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
