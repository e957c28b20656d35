"""A variant's message as a MIME skeleton: built once, then only personal values are filled in.

Building an `EmailMessage` per recipient costs about 4 ms (every header parsed on assignment,
46 KB quoted-printable encoded again). A skeleton holds, per (edition, language), the headers
that do not vary (folded once by the standard library), the boundary, and each body part as
quoted-printable pieces split around the personal fields. Filling in a recipient encodes only
their values: each piece is encoded on its own and ends with a soft line break when it ends
mid-line, so the joined part decodes to exactly the personalised text.

Personal headers are written here only for plain values (an ASCII address, a printable name with
single spaces, a simple Message-ID, ASCII unsubscribe URLs); `personal_headers` returns None for
anything else and the caller builds that message with the standard library instead.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from kommunepartner.base.schema import OSLO
from kommunepartner.mail.message import POLICY, Unsubscribe, list_id

# Folding of the fixed headers, as sent: 78 columns (RFC 5322's SHOULD), LF until the end.
FOLD = policy.default
_ATEXT = r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]"  # atext without = and ? (no look-alike encoded word)
_PLAIN_WORD = re.compile(f"{_ATEXT}+")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATOM}(?:\.{_ATOM})*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_DOT_ATOM}@{_LABEL}(?:\.{_LABEL})*")
_MESSAGE_ID = re.compile(f"<{_DOT_ATOM}@{_DOT_ATOM}>")
_WORD_BYTES = 45  # bytes of name per encoded word: 60 base64 characters, 72 with =?utf-8?b?…?=
_LINE = 78
PERSONAL = ("To", "Date", "Message-ID", "List-Unsubscribe")
_QP = ("Content-Transfer-Encoding", "quoted-printable")
# the parts' headers in the order the standard library writes them (add_alternative adds a
# MIME-Version to the HTML part)
TEXT_PART = (("Content-Type", 'text/plain; charset="utf-8"'), _QP)
HTML_PART = (("Content-Type", 'text/html; charset="utf-8"'), _QP, ("MIME-Version", "1.0"))


def qp(text: str) -> str:
    """Quoted-printable of one piece of a part (LF line ends); mid-line ends get a soft break."""
    if not text or text.endswith("\n"):
        return binascii.b2a_qp(text.encode(), istext=True).decode("ascii")
    # encoded as if the text went on, so that the soft break still fits in 76 columns
    out = binascii.b2a_qp((text + "x").encode(), istext=True).decode("ascii")[:-1]
    return out if out.endswith("=\n") else out + "=\n"


def normal_lines(text: str) -> str:
    """CRLF and lone CR as LF, as the standard library's set_content does."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Body:
    """One text part as encoded pieces: fixed text at even places, field names at odd places."""

    pieces: tuple[str, ...]
    fixed_bytes: int  # UTF-8 bytes of the fixed text, for the HTML budget
    counts: dict[str, int]  # how often each field occurs

    @classmethod
    def split(cls, text: str, marks: dict[str, str]) -> Body:
        by_mark = {mark: field for field, mark in marks.items()}
        raw = re.split("(" + "|".join(map(re.escape, by_mark)) + ")", normal_lines(text))
        fields = [by_mark[m] for m in raw[1::2]]
        pieces = [qp(s) if i % 2 == 0 else by_mark[s] for i, s in enumerate(raw)]
        counts = {f: fields.count(f) for f in marks}
        return cls(tuple(pieces), sum(len(s.encode()) for s in raw[0::2]), counts)

    def size(self, values: dict[str, str]) -> int:
        """UTF-8 bytes of the decoded part with these values filled in."""
        return self.fixed_bytes + sum(n * len(values[f].encode()) for f, n in self.counts.items())

    def fill(self, encoded: dict[str, str]) -> str:
        out = list(self.pieces)
        out[1::2] = [encoded[f] for f in self.pieces[1::2]]
        return "".join(out)


@dataclass(frozen=True)
class Skeleton:
    """One (edition, language) as a message with holes: headers in order, two QP parts."""

    headers: tuple[tuple[str, str | None], ...]  # None: a personal header, filled per message
    boundary: str
    text: Body
    html: Body

    def parts(self, text_values: dict[str, str], html_values: dict[str, str]) -> tuple[str, str]:
        """The two encoded payloads for one recipient (values plain for text, escaped for HTML)."""
        return (
            self.text.fill({f: qp(normal_lines(v)) for f, v in text_values.items()}),
            self.html.fill({f: qp(normal_lines(v)) for f, v in html_values.items()}),
        )

    def filled(self, personal: dict[str, str]) -> list[tuple[str, str]]:
        return [(n, personal[n] if v is None else v) for n, v in self.headers]

    def to_bytes(self, personal: dict[str, str], text: str, html: str) -> bytes:
        """RFC 5322 bytes with CRLF line ends, as smtplib and DKIM want them."""
        b = self.boundary
        out = [f"{n}: {v}\n" for n, v in self.filled(personal)]
        out.append(f"\n--{b}\n")
        out += [f"{n}: {v}\n" for n, v in TEXT_PART]
        out += ["\n", text, f"\n--{b}\n"]
        out += [f"{n}: {v}\n" for n, v in HTML_PART]
        out += ["\n", html, f"\n--{b}--\n"]
        # ASCII only: a non-ASCII character here would be a bug, so it must raise
        return "".join(out).encode("ascii").replace(b"\n", b"\r\n")

    def to_message(self, personal: dict[str, str], text: str, html: str) -> EmailMessage:
        """The same message as an EmailMessage, as parsing `to_bytes` would give it."""
        msg = EmailMessage(policy=POLICY)
        for name, value in self.filled(personal):
            msg.set_raw(name, value)
        for headers, payload in ((TEXT_PART, text), (HTML_PART, html)):
            part = EmailMessage(policy=POLICY)
            for name, value in headers:
                part.set_raw(name, value)
            part.set_payload(payload)
            msg.attach(part)
        return msg


def build_skeleton(
    *,
    sender: str,
    reply_to: str,
    subject: str,
    newsletter: str,
    lang: str,
    one_click: bool,
    text: str,
    html: str,
    marks: dict[str, str],
) -> Skeleton:
    """The fixed headers folded by the standard library once; parts split around the marks."""
    boundary = f"==KP{secrets.token_hex(12)}=="  # "==" never occurs in quoted-printable
    fixed = EmailMessage(policy=FOLD)
    name, addr = getaddresses([sender])[0]
    local, _, domain = addr.rpartition("@")
    fixed["From"] = Address(display_name=name, username=local, domain=domain)
    if reply_to:
        fixed["Reply-To"] = reply_to
    fixed["Subject"] = subject
    fixed["List-Id"] = list_id(sender, newsletter)
    if one_click:
        fixed["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    fixed["MIME-Version"] = "1.0"
    fixed["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    fixed["Content-Language"] = lang
    folded = {n: FOLD.fold(n, v)[len(n) + 2 :].rstrip("\n") for n, v in fixed.items()}
    order = ["From", "To", "Reply-To", "Subject", "Date", "Message-ID", "List-Id"]
    order += ["List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]
    order += ["Content-Language"]
    headers = tuple(
        (n, None if n in PERSONAL else folded[n]) for n in order if n in PERSONAL or n in folded
    )
    return Skeleton(headers, boundary, Body.split(text, marks), Body.split(html, marks))


def personal_headers(
    name: str, email: str, message_id: str, date: datetime, unsubscribe: Unsubscribe
) -> dict[str, str] | None:
    """To, Date, Message-ID and List-Unsubscribe, folded; None when a value is not plain."""
    to = to_header(name, email)
    unsub = unsubscribe_header(unsubscribe)
    if to is None or unsub is None or not _MESSAGE_ID.fullmatch(message_id):
        return None
    when = format_datetime(date if date.tzinfo else date.replace(tzinfo=OSLO))
    return {"To": to, "Date": when, "Message-ID": message_id, "List-Unsubscribe": unsub}


def to_header(name: str, email: str) -> str | None:
    """`Name <address>`, folded at 78 columns; None when the standard library must do it.

    Plain words stay as they are; each run of other words becomes one RFC 2047 word (UTF-8,
    base64) with its spaces inside, since decoders disagree about spaces between two encoded
    words (RFC 2047 drops them, Python's address parser keeps them). A run too long for one
    encoded word goes to the standard library.
    """
    if not _ADDRESS.fullmatch(email) or len(email) > 254:
        return None
    if not name:
        return email
    if name != " ".join(name.split()) or not name.isprintable():
        return None
    tokens: list[str] = []
    run: list[str] = []
    for word in [*name.split(" "), ""]:  # "" ends the last run
        if word and not _PLAIN_WORD.fullmatch(word):
            run.append(word)
            continue
        if run:
            raw = " ".join(run).encode()
            if len(raw) > _WORD_BYTES:
                return None
            tokens.append(f"=?utf-8?b?{base64.b64encode(raw).decode()}?=")
            run = []
        if word:
            tokens.append(word)
    tokens.append(f"<{email}>")
    lines = ["To:"]
    for token in tokens:
        if len(lines[-1]) + 1 + len(token) > _LINE and lines[-1] != "To:":
            lines.append("")
        lines[-1] += " " + token
    return "\n".join(lines)[len("To: ") :]


def unsubscribe_header(unsubscribe: Unsubscribe) -> str | None:
    """List-Unsubscribe kept as plain ASCII URLs (never encoded words), one per line if long."""
    urls = [f"<{u}>" for u in (unsubscribe.https, unsubscribe.mailto) if u]
    if not all(u.isascii() and u.isprintable() and " " not in u and len(u) < 970 for u in urls):
        return None
    value = ", ".join(urls)
    return value if len(value) + len("List-Unsubscribe: ") <= _LINE else ",\n ".join(urls)
