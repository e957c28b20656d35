"""The partner registry: validation rules and what follows from it (standing, fee, målform)."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunepartner.base.errors import InputError
from kommunepartner.base.kommuner import reference
from kommunepartner.content.fees import FeeTier, nok
from kommunepartner.content.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "valid" / "partners.yaml"
TIERS = """
fee_tiers:
  - {min_population: 0, max_population: 4999, fee: 50000}
  - {min_population: 5000, max_population: 19999, fee: 65000}
  - {min_population: 20000, max_population: 49999, fee: 80000}
  - {min_population: 50000, fee: 100000}
"""


def load(tmp_path: Path, text: str) -> Registry:
    path = tmp_path / "partners.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_registry(path, "partners.yaml")


def problems(tmp_path: Path, text: str, *, tiers: bool = False) -> list[str]:
    """The problems of a registry; with tiers, the valid fee tiers come first (lines 1-5)."""
    text = textwrap.dedent(text).lstrip("\n")
    with pytest.raises(InputError) as exc:
        load(tmp_path, TIERS.lstrip("\n") + text if tiers else text)
    return [str(p) for p in exc.value.problems]


def test_the_valid_fixture_loads_with_its_derived_values():
    registry = load_registry(VALID, "partners.yaml")
    bergen, volda, rogaland, kinn = registry.partners
    assert [p.id for p in registry.partners] == ["4601", "1577", "11", "4602"]
    assert (bergen.name, bergen.org.fylke, bergen.key_version) == ("Bergen", "Vestland", 1)
    assert rogaland.name == "Rogaland fylkeskommune" and rogaland.org.is_county
    assert bergen.contacts[0].newsletters == ("perspektiv",)  # the default
    assert bergen.contacts[1].newsletters == ()  # takes no newsletter
    assert registry.rule("briefs").default == "public"
    assert registry.rule("pages").default == "public"  # no rule: public


def test_good_standing_on_a_date():
    registry = load_registry(VALID, "partners.yaml")
    bergen, volda, rogaland, kinn = registry.partners
    assert not bergen.in_good_standing(date(2025, 12, 31))
    assert bergen.in_good_standing(date(2026, 1, 1))  # since and until are inclusive
    assert bergen.in_good_standing(date(2026, 12, 31))
    assert not bergen.in_good_standing(date(2027, 1, 1))
    assert volda.in_good_standing(date(2040, 1, 1))  # no until: open-ended
    assert not kinn.in_good_standing(date(2026, 3, 1))  # ended, even within its dates
    on = date(2026, 4, 1)
    assert [p.id for p in registry.in_good_standing(on)] == ["4601", "1577", "11"]


@given(
    st.sampled_from(["prospect", "pilot", "active", "paused", "ended"]),
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.one_of(st.none(), st.integers(0, 2000)),
    st.dates(date(2019, 1, 1), date(2031, 1, 1)),
)
def test_good_standing_matches_the_rule(status, since, length, on):
    from kommunepartner.content.registry import Partner

    until = None if length is None else since + timedelta(days=length)
    partner = Partner("4601", reference()["4601"], status, since, until, 1)
    expected = status in ("pilot", "active") and since <= on and (until is None or on <= until)
    assert partner.in_good_standing(on) == expected


def test_fee_from_population_uses_the_reference_data():
    registry = load_registry(VALID, "partners.yaml")
    ref = reference()
    assert registry.fee_for(0) == 50_000
    assert registry.fee_for(4999) == 50_000 and registry.fee_for(5000) == 65_000
    assert registry.fee_for(10**9) == 100_000
    assert ref["1577"].population == 11_093 and registry.fee_for(ref["1577"].population) == 65_000
    assert registry.fee_for(ref["4601"].population) == 100_000  # Bergen
    assert ref["11"].population == sum(
        m.population for n, m in ref.items() if n.startswith("11") and len(n) == 4
    )
    assert nok(65_000) == "NOK 65 000"


@given(st.integers(0, 10**8))
def test_every_population_has_exactly_one_tier(population):
    registry = load_registry(VALID, "partners.yaml")
    assert sum(t.covers(population) for t in registry.fee_tiers) == 1
    assert 50_000 <= registry.fee_for(population) <= 100_000


def test_malform_from_the_reference_data():
    registry = load_registry(VALID, "partners.yaml")
    by_id = {p.id: p for p in registry.partners}
    assert by_id["1577"].malform == "nynorsk"  # Volda
    assert by_id["4601"].malform == "nøytral"  # Bergen
    assert by_id["11"].malform == "nøytral"  # Rogaland fylkeskommune
    assert len([m for m in reference().values() if not m.is_county]) == 93
    assert {m.malform for m in reference().values()} <= {"nynorsk", "bokmål", "nøytral"}


def test_fee_tier_rules(tmp_path):
    text = """
    fee_tiers:
      - {min_population: 100, max_population: 999, fee: 49999}
      - {min_population: 900, max_population: 1999, fee: 100001}
      - {min_population: 3000, max_population: 5000, fee: 60000}
    """
    assert problems(tmp_path, text) == [
        "partners.yaml:2:22: fee_tiers[0].min_population: populations 0–99 have no fee — start the first tier at min_population: 0",
        "partners.yaml:2:53: fee_tiers[0].fee: NOK 49 999 is outside the programme's range — use NOK 50 000 to NOK 100 000",
        "partners.yaml:3:22: fee_tiers[1].min_population: populations 900–999 are also in fee_tiers[0] — start this tier at 1000",
        "partners.yaml:3:54: fee_tiers[1].fee: NOK 100 001 is outside the programme's range — use NOK 50 000 to NOK 100 000",
        "partners.yaml:4:22: fee_tiers[2].min_population: populations 2000–2999 have no fee — start this tier at 2000",
        "partners.yaml:4:44: fee_tiers[2].max_population: populations above 5000 have no fee — leave out max_population in the last tier",
    ]


def test_an_open_tier_before_another_overlaps(tmp_path):
    text = """
    fee_tiers:
      - {min_population: 0, fee: 50000}
      - {min_population: 5000, fee: 65000}
    """
    assert problems(tmp_path, text) == [
        "partners.yaml:2:5: fee_tiers[0]: has no max_population, so it overlaps fee_tiers[1] — end"
        " it at max_population: 4999"
    ]


def test_partner_rules(tmp_path):
    text = """
    partners:
      - {kommune: "4601", status: active}
      - {kommune: "4601", fylkeskommune: "46", status: pilot, since: 2026-01-01}
      - {status: prospect}
      - {fylkeskommune: "11", status: paused, since: 2026-05-01, until: 2026-04-30}
      - {fylkeskommune: Rogaland, status: prospect}
      - kommune: "1577"
        status: pilot
        since: 2026-01-01
        contacts: {name: Ola}
    """
    assert problems(tmp_path, text, tiers=True) == [
        "partners.yaml:7:5: partners[0].since: is required for an active partner — e.g. since: 2026-01-01",
        "partners.yaml:8:38: partners[1].fylkeskommune: a partner is either a kommune or a fylkeskommune — keep one of the two",
        'partners.yaml:9:5: partners[2]: needs kommune (a kommunenummer, e.g. kommune: "4601") or fylkeskommune (e.g. fylkeskommune: Vestland)',
        "partners.yaml:10:69: partners[3].until: 2026-04-30 is before since (2026-05-01) — until must be on or after since",
        "partners.yaml:11:21: partners[4].fylkeskommune: Rogaland fylkeskommune is already listed as partners[3] — keep one entry per partner",
        "partners.yaml:15:15: partners[5].contacts: must be a list of contacts, e.g. - {name: Kari Nordmann, email: kari@example.org, role: rådgjevar}",
    ]


def test_contact_rules(tmp_path):
    text = """
    partners:
      - kommune: "4601"
        status: pilot
        since: 2026-01-01
        contacts:
          - {name: Kari, email: kari@example.org, role: rådgjevar}
          - {name: Kari, email: KARI@example.org, role: rådgjevar}
          - {name: Per, email: per@example, newsletters: [perspektiv, nyheiter]}
          - name: ""
            email: ola@example.org
            role: leiar
            phone: 12345678
    """
    assert problems(tmp_path, text, tiers=True) == [
        "partners.yaml:12:29: partners[0].contacts[1].email: 'KARI@example.org' is already listed as contacts[0] of this partner — keep one entry per address",
        "partners.yaml:13:9: partners[0].contacts[2].role: is required for a contact, e.g. role: kommunedirektør",
        "partners.yaml:13:28: partners[0].contacts[2].email: 'per@example' is not an email address — write e.g. kari.nordmann@example.org",
        "partners.yaml:13:67: partners[0].contacts[2].newsletters[1]: 'nyheiter' is not one of perspektiv",
        "partners.yaml:14:15: partners[0].contacts[3].name: is empty — write some text",
        "partners.yaml:17:9: partners[0].contacts[3].phone: unknown field — a contact takes name, email, role, newsletters",
    ]


def test_top_level_and_access_rules(tmp_path):
    text = """
    access:
      briefs: {default: partners, public_after: 180 days, later: 1}
      events: public
    partners: {kommune: "4601"}
    """
    assert problems(tmp_path, text, tiers=True) == [
        "partners.yaml:7:55: access.briefs.later: unknown field — an access rule takes default, public_after",
        "partners.yaml:8:11: access.events: must be a mapping with default, public_after",
        "partners.yaml:9:11: partners: must be a list of partners",
    ]


def test_a_missing_or_empty_registry(tmp_path):
    with pytest.raises(InputError, match="the partner registry does not exist"):
        load_registry(tmp_path / "nope.yaml", "nope.yaml")
    assert problems(tmp_path, "") == [
        "partners.yaml:1:1: fee_tiers: is missing — list the fee tiers, e.g. - {min_population: 0,"
        " max_population: 4999, fee: 50000}"
    ]
    assert problems(tmp_path, "- a\n") == [
        "partners.yaml:1:1: the registry must be a mapping with fee_tiers, partners, access"
    ]


def test_fee_tier_covers():
    assert FeeTier(0, 10, 50_000).covers(10) and not FeeTier(0, 10, 50_000).covers(11)
    assert FeeTier(11, None, 60_000).covers(10**9)
