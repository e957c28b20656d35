"""`build` says what changed state since the previous build of the same output: an item published
on its date, an embargo lifted, an event moved to the past, a partner entering or leaving good
standing; and a build with nothing changed writes the same bytes."""

from __future__ import annotations

from tests.conftest import snapshot

REGISTRY = """
fee_tiers:
  - {min_population: 0, fee: 50000}
access:
  briefs: {default: partners, public_after: 2026-12-01}
partners:
  - kommune: "4601"
    status: active
    since: 2026-01-01
    until: 2026-11-30
  - kommune: "1103"
    status: pilot
    since: 2026-11-20
"""
CONTENT = {
    "briefs/open.md": "---\ntitle: Open\ndate: 2026-11-01\nsummary: S.\n---\nTekst.\n",
    "briefs/later.md": "---\ntitle: Later\ndate: 2026-11-25\nsummary: S.\n---\nTekst.\n",
    "events/treff.md": (
        "---\ntitle: Treff\nstart: 2026-11-22 10:00\nend: 2026-11-22 12:00\n"
        "series: partnertreff\nformat: digital\n---\nProgram.\n"
    ),
}


def test_build_prints_what_changed_state_since_the_previous_build(site):
    site.write(CONTENT, registry=REGISTRY)
    first = site.build("2026-11-15 12:00")
    assert "Changed state" not in first.output  # nothing to compare with yet
    second = site.build("2026-12-02 12:00")
    lines = second.output.splitlines()
    at = lines.index("Changed state since the build for 2026-11-15T12:00:")
    assert lines[at + 1 :] == [
        "published on its date: briefs/later (2026-11-25)",
        "embargo lifted, now public: briefs/open",
        "moved to past events: events/treff",
        "partner in good standing: 1103 Stavanger",
        "partner no longer in good standing: 4601 Bergen",
    ]
    before = snapshot(site.output)
    third = site.build("2026-12-03 09:00")
    assert "Changed state" not in third.output
    assert snapshot(site.output) == before  # nothing changed state: the same bytes


def test_the_program_prints_the_changes_after_its_last_step(site):
    site.write(CONTENT, registry=REGISTRY)
    assert site.program("2026-11-15 12:00").returncode == 0
    done = site.program("2026-11-26 12:00")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "Changed state since the build for 2026-11-15T12:00:",
        "published on its date: briefs/later (2026-11-25)",
        "moved to past events: events/treff",
        "partner in good standing: 1103 Stavanger",
    ]
