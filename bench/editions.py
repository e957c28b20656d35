"""Child process: render every edition of one newsletter issue, then personalise for N recipients.

Usage: python bench/editions.py CONTENT PARTNERS [RECIPIENTS]   (KOMMUNEPARTNER_SECRET set)
Prints a small table, then one JSON line. A fifth of the recipients get the partner edition
(contacts of partners in good standing), the rest the public one; both languages.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench.corpus import NOW
from kommunepartner.access.crypto import load_secret
from kommunepartner.build.build import prepare
from kommunepartner.build.settings import Options
from kommunepartner.content.registry import Contact
from kommunepartner.mail.edition import partner_recipient, public_recipient, render_issue
from kommunepartner.mail.recipient import Recipient

ROOT = Path(__file__).resolve().parents[1]

RENDER_REPEATS = 5


def recipients(ctx, issue, count: int) -> list[Recipient]:
    """count recipients: every fifth a partner contact (synthetic), the rest public subscribers."""
    partners = ctx.registry.in_good_standing(ctx.config.now.date())
    out = []
    for i in range(count):
        if i % 5 == 0 and partners:
            partner = partners[i // 5 % len(partners)]
            contact = Contact(f"Kontakt {i}", f"kontakt{i}@k{partner.id}.example.org", "rådgjevar")
            out.append(partner_recipient(contact, partner, issue))
        else:
            pref = ("nn", "nb", None)[i % 3]
            out.append(public_recipient(f"lesar{i}@example.org", f"Lesar {i}", pref, issue))
    return out


def main(argv: list[str]) -> None:
    content, partners = Path(argv[1]), Path(argv[2])
    count = int(argv[3]) if len(argv) > 3 else 5_000
    _, ctx = prepare(Options(content=content, partners=partners, now=NOW))
    issue = max(ctx.site.section("newsletters"), key=lambda i: i.meta["number"])
    secret = load_secret(ctx.config)
    renders = []
    for _ in range(RENDER_REPEATS):
        started = time.perf_counter()
        rendered = render_issue(issue, ctx.site, ctx.registry, ctx.config, secret)
        renders.append(time.perf_counter() - started)
    people = recipients(ctx, issue, count)
    now = ctx.config.now
    started = time.perf_counter()
    messages = [
        rendered.message_for(r, message_id=f"<bench-{i}@example.org>", date=now)
        for i, r in enumerate(people)
    ]
    personalise = time.perf_counter() - started
    started = time.perf_counter()
    size = sum(len(m.as_bytes()) for m in messages)
    serialise = time.perf_counter() - started
    render = statistics.median(renders)
    total = render + personalise
    lines = [
        f"issue {issue.key}: {len(rendered.variants)} editions (edition × language),"
        f" {len(features := issue.meta.get('features', []))} featured items",
        f"render all editions (Jinja2 → MJML → HTML + text), median of {RENDER_REPEATS}:"
        f" {render * 1000:.0f} ms",
        f"personalise {count:,} messages (message_for): {personalise:.2f} s"
        f" ({count / personalise:,.0f}/s)",
        f"render + personalise: {total:.2f} s (target under 2 s)",
        f"serialise them to bytes (as_bytes, {size / count / 1024:.0f} KB each): {serialise:.2f} s",
    ]
    for line in lines:
        print(line)
    data = {
        "features": len(features),
        "render_s": render,
        "personalise_s": personalise,
        "serialise_s": serialise,
        "recipients": count,
    }
    print(json.dumps(data))


if __name__ == "__main__":
    main(sys.argv)
