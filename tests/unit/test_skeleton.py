"""The MIME skeleton's messages equal the ones built field by field with the standard library."""

from __future__ import annotations

import email
from datetime import datetime
from email import policy
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base.schema import OSLO
from kommunepartner.mail.message import SMTP_POLICY
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.skeleton import qp, to_header
from tests.unit.test_edition import NOW, SECRET, issue_of, load, render_issue

HEADERS = (
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Language",
)
NAMES = [
    "",
    "Kari",
    "Kåre Ødegård",
    'Per "Pelle" Ås',
    "Anne <sjef> & co",
    "Lars O'Brien-Æsøy, dagleg leiar",
    "Ørjan " + "Langnamnsen " * 12 + "Å",
    "Bjørg=?utf-8?q?x?=",
    "a\\b",
    "ÆØÅ" * 40,
]
ADDRESSES = ["kari@example.org", "Kari.Nordmann+nyhende@post.kommune.example.no", "x@e.no"]
WHEN = [NOW, datetime(2026, 7, 1, 6, 5, 4), datetime(2026, 3, 29, 2, 30, tzinfo=OSLO)]


@cache
def rendered_issues():
    """The fixture issue with and without a one-click unsubscribe URL."""
    out = []
    for extra in ({}, {"KP_UNSUBSCRIBE_URL": "https://kommunepartnar.example.org/avmelding?l=p"}):
        config, site, registry = load(**extra)
        out.append(render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET))
    return out, registry


def recipients(registry, name: str, address: str) -> list[Recipient]:
    """Both editions in both languages for one name and address."""
    p = registry.partner("4621")
    return [
        r
        for lang in ("nn", "nb")
        for r in (
            Recipient(address, name, "public", lang),
            Recipient(address, name, "partner", lang, p.id, p.name, "rådgjevar"),
        )
    ]


def strict(data: bytes) -> email.message.EmailMessage:
    """Parsed with email.policy.strict: any defect raises."""
    parsed = email.message_from_bytes(data, policy=policy.strict)
    assert all(p.defects == [] for p in parsed.walk())
    return parsed


def same_message(fast: email.message.EmailMessage, slow: email.message.EmailMessage) -> None:
    for name in HEADERS:
        assert str(fast.get(name)) == str(slow.get(name)), name
    assert fast["To"].addresses == slow["To"].addresses
    assert fast.get_content_type() == slow.get_content_type() == "multipart/alternative"
    fast_parts, slow_parts = list(fast.iter_parts()), list(slow.iter_parts())
    assert [p.get_content_type() for p in fast_parts] == ["text/plain", "text/html"]
    for a, b in zip(fast_parts, slow_parts, strict=True):
        assert a.get_content_type() == b.get_content_type()
        # the same text; the parsed bytes have CRLF line ends, message_for's parts LF
        assert a.get_content().replace("\r\n", "\n") == b.get_content().replace("\r\n", "\n")


def check(rendered, recipient: Recipient, message_id: str, date: datetime) -> None:
    data = rendered.bytes_for(recipient, message_id=message_id, date=date)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"List-Unsubscribe: =?" not in head  # the URLs stay usable, never encoded words
    reference = rendered.reference_message(recipient, message_id=message_id, date=date)
    slow = strict(reference.as_bytes(policy=SMTP_POLICY))
    same_message(strict(data), slow)
    message = rendered.message_for(recipient, message_id=message_id, date=date)
    if rendered._filled(recipient, message_id, date) is not None:  # the skeleton was used
        same_message(message, slow)  # the EmailMessage is the parsed bytes
        assert message.as_bytes(policy=SMTP_POLICY) == data


@pytest.mark.parametrize("name", NAMES)
def test_fast_bytes_equal_the_standard_librarys_message(name):
    rendered_all, registry = rendered_issues()
    for i, rendered in enumerate(rendered_all):
        for recipient in recipients(registry, name, ADDRESSES[i % len(ADDRESSES)]):
            check(rendered, recipient, "<p7.AbC-_9@example.org>", WHEN[i])


@given(
    name=st.text(
        st.sampled_from(list("aAzZ09 æøåÆØÅéü\"'<>&,.;:@()[]\\=?_-+é—·😀\t")), max_size=90
    ),
    address=st.sampled_from(ADDRESSES),
    message_id=st.sampled_from(["p7.x@example.org", "<p7.y@example.org>", "<a b@c d>"]),
)
def test_any_name_gives_the_same_message_either_way(name, address, message_id):
    rendered_all, registry = rendered_issues()
    for recipient in recipients(registry, name, address)[::3]:
        for rendered in rendered_all:
            check(rendered, recipient, message_id, NOW)


def test_plain_values_use_the_skeleton_and_odd_ones_the_standard_library():
    rendered = rendered_issues()[0][0]
    assert rendered._filled(Recipient("kari@example.org", "Kåre Ø"), "<a@b>", NOW) is not None
    for odd in (Recipient("kari@example.org", "Kåre  Ø"), Recipient("ø@example.org", "K")):
        assert rendered._filled(odd, "<a@b>", NOW) is None
        strict(rendered.bytes_for(odd, message_id="<a@b>", date=NOW))


@given(
    st.lists(
        st.text(max_size=120) | st.text(st.sampled_from(list("ab =\n\t.æ€😀")), max_size=300),
        max_size=6,
    )
)
def test_quoted_printable_pieces_decode_to_the_joined_text(pieces):
    import quopri

    pieces = [p.replace("\r", "") for p in pieces]
    encoded = "".join(qp(p) for p in pieces)
    assert max((len(line) for line in encoded.split("\n")), default=0) <= 76
    assert quopri.decodestring(encoded.encode()).decode() == "".join(pieces)


def test_long_and_non_ascii_names_fold_within_78_columns():
    assert to_header(NAMES[-1], "kari@example.org") is None  # one word over 45 bytes
    for name in NAMES[1:-1]:
        value = to_header(name, "kari.nordmann@example.org")
        assert value is not None
        lines = f"To: {value}".split("\n")
        assert all(len(line) <= 78 for line in lines), lines
