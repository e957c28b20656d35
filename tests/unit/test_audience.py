"""Who gets an issue: property-tested against a simple reference model, plus the named cases."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kommunepartner.base.kommuner import Municipality, reference
from kommunepartner.content.registry import STATUSES, Contact, Partner, Registry
from kommunepartner.mail.audience import PUBLIC_COUNTY, plan_recipients
from kommunepartner.mail.subscribers import Subscriber

ON = date(2026, 6, 1)
# Every målform: the reference data has no bokmål kommune, so one is made up for the rule.
BOKMAL = Municipality("1199", "Bokmålby", "Rogaland", 1000, "bokmål")
ORGS = [reference()[n] for n in ("4601", "1114", "1505", "4602", "46")] + [BOKMAL]
POOL = [f"{n}@example.org" for n in ("kari", "ola", "anne", "per", "siri", "jon", "liv")]


def partner(i: int, status: str, since=date(2026, 1, 1), until=None, contacts=()) -> Partner:
    return Partner(ORGS[i].number, ORGS[i], status, since, until, 1, tuple(contacts))


def registry(*partners: Partner) -> Registry:
    return Registry("partners.yaml", (), tuple(partners))


def reference_model(reg, subs, suppressed, on, issue_lang):
    """The rule as DESIGN.md states it, written out as plainly as possible."""
    blocked = {a.lower() for a in suppressed}
    out: dict[str, tuple] = {}
    for p in reg.partners:
        good = p.status in ("pilot", "active")
        good = good and (p.since is None or p.since <= on) and (p.until is None or on <= p.until)
        if not good:
            continue
        lang = {"nynorsk": "nn", "bokmål": "nb"}.get(p.org.malform, issue_lang)
        for c in p.contacts:
            key = c.email.lower()
            if "perspektiv" in c.newsletters and key not in blocked and key not in out:
                out[key] = ("partner", lang, p.id)
    for s in subs:
        key = s.email.lower()
        if "perspektiv" in s.newsletters and key not in blocked and key not in out:
            out[key] = ("public", s.lang or issue_lang, None)
    return out


emails = st.builds(lambda a, upper: a.upper() if upper else a, st.sampled_from(POOL), st.booleans())
takes = st.sampled_from([("perspektiv",), ()])
contacts = st.lists(
    st.builds(lambda e, t: Contact("Namn", e, "rådgjevar", t), emails, takes),
    max_size=4,
    unique_by=lambda c: c.email.lower(),
)
days = st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31)))
partners_st = st.lists(
    st.builds(
        lambda i, status, since, until, cs: partner(i, status, since, until, cs),
        st.integers(0, len(ORGS) - 1),
        st.sampled_from(STATUSES),
        days,
        days,
        contacts,
    ),
    max_size=6,
    unique_by=lambda p: p.id,
)
subscribers_st = st.lists(
    st.builds(Subscriber, emails, st.just("Namn"), st.sampled_from(["", "nn", "nb"]), takes),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    partners_st,
    subscribers_st,
    st.lists(emails, max_size=4),
    st.dates(date(2025, 6, 1), date(2027, 6, 1)),
    st.sampled_from(["nn", "nb"]),
)
def test_plan_matches_the_reference_model(partners, subs, suppressed, on, issue_lang):
    reg = registry(*partners)
    plan = plan_recipients(
        reg, subs, suppressed, newsletter="perspektiv", on=on, issue_lang=issue_lang
    )
    got = {r.email.lower(): (r.edition, r.lang, r.partner_id) for r in plan.recipients}
    assert got == reference_model(reg, subs, suppressed, on, issue_lang)
    assert len(got) == len(plan.recipients), "each address once"
    assert sum(plan.counts()["edition"].values()) == len(plan)


def test_every_status_and_the_named_cases():
    kari = Contact("Kari", "kari@example.org", "kommunedirektør")
    reg = registry(
        partner(0, "active", contacts=[kari]),  # Bergen: nøytral
        partner(5, "pilot", contacts=[Contact("Ola", "ola@example.org", "ordfører")]),  # bokmål
        partner(2, "paused", contacts=[Contact("Anne", "anne@example.org", "rådgjevar")]),
        partner(3, "ended", contacts=[Contact("Per", "per@example.org", "rådgjevar")]),
        partner(4, "prospect", contacts=[Contact("Siri", "siri@example.org", "leiar")]),
        partner(1, "active", until=date(2026, 3, 1), contacts=[Contact("Jon", "j@x.org", "leiar")]),
    )
    subs = [
        Subscriber("KARI@example.org", "Kari", "nb"),  # a partner contact wins
        Subscriber("anne@example.org", "Anne", "nb"),  # paused partner: public edition only
        Subscriber("liv@example.org", "Liv"),  # no preference: the issue's language
        Subscriber("gone@example.org", "Gone", "nn"),
        Subscriber("other@example.org", "Other", "nn", ()),  # takes no newsletter
    ]
    plan = plan_recipients(
        reg, subs, ["Gone@Example.org"], newsletter="perspektiv", on=ON, issue_lang="nn"
    )
    got = {r.email: (r.edition, r.lang, r.organisation) for r in plan.recipients}
    assert got == {
        "kari@example.org": ("partner", "nn", "Bergen"),
        "ola@example.org": ("partner", "nb", "Bokmålby"),
        "anne@example.org": ("public", "nb", ""),
        "liv@example.org": ("public", "nn", ""),
    }
    assert plan.suppressed == ("gone@example.org",)
    assert plan.duplicates == 1
    counts = plan.counts()
    assert counts["county"] == {"Vestland": 1, "Rogaland": 1, PUBLIC_COUNTY: 2}
    assert counts["edition"] == {"partner": 2, "public": 2}
