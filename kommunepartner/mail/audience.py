"""Who gets a newsletter issue: partner contacts and public subscribers, minus the suppressed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from kommunepartner.base.i18n import lang_for_malform
from kommunepartner.content.registry import Registry
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.subscribers import Subscriber

PUBLIC_COUNTY = "(public subscribers)"


@dataclass(frozen=True)
class Plan:
    """The recipients of one issue, each once, with what was left out and why."""

    recipients: tuple[Recipient, ...]
    county: Mapping[str, str] = field(default_factory=dict)  # lower email -> fylke
    suppressed: tuple[str, ...] = ()  # addresses that would have received it
    duplicates: int = 0  # addresses listed more than once (kept once)
    dropped: tuple[str, ...] = ()  # each listing left out as a duplicate: 'Name <address> (why)'

    def __len__(self) -> int:
        return len(self.recipients)

    def counts(self) -> dict[str, Counter]:
        """Recipients per county, partner, edition and language, for the dry-run report."""
        by = {"county": Counter(), "partner": Counter(), "edition": Counter(), "lang": Counter()}
        for r in self.recipients:
            by["county"][self.county.get(r.email.lower(), PUBLIC_COUNTY)] += 1
            by["partner"][r.organisation if r.partner_id else PUBLIC_COUNTY] += 1
            by["edition"][r.edition] += 1
            by["lang"][r.lang] += 1
        return by


def plan_recipients(
    registry: Registry,
    subscribers: Iterable[Subscriber],
    suppressed: Iterable[str],
    *,
    newsletter: str,
    on: date,
    issue_lang: str,
) -> Plan:
    """Contacts of partners in good standing on `on` who take `newsletter` (partner edition),
    then public subscribers (public edition), minus `suppressed`, each address once.

    A partner contact wins over a public subscription of the same address; a contact listed by
    two partners gets the mail once, from the first partner in the registry.
    """
    blocked = {a.strip().lower() for a in suppressed}
    chosen: dict[str, Recipient] = {}
    county: dict[str, str] = {}
    left_out: dict[str, str] = {}
    dropped: list[str] = []

    def add(key: str, recipient: Recipient) -> None:
        if key in blocked:
            left_out.setdefault(key, recipient.email)
        elif key in chosen:
            kept = chosen[key]
            source = (
                f"a contact of {recipient.organisation}" if recipient.partner_id else "a subscriber"
            )
            first = f"a contact of {kept.organisation}" if kept.partner_id else "a subscriber"
            who = f"{recipient.name} <{recipient.email}>" if recipient.name else recipient.email
            dropped.append(f"{who} ({source}; kept as {first})")
        else:
            chosen[key] = recipient

    for partner in registry.partners:
        if not partner.in_good_standing(on):
            continue
        lang = lang_for_malform(partner.malform, issue_lang)
        for contact in partner.contacts:
            if newsletter not in contact.newsletters:
                continue
            key = contact.email.strip().lower()
            add(
                key,
                Recipient(
                    email=contact.email.strip(),
                    name=contact.name,
                    edition="partner",
                    lang=lang,
                    partner_id=partner.id,
                    organisation=partner.name,
                    role=contact.role,
                ),
            )
            county.setdefault(key, partner.org.fylke)
    for sub in subscribers:
        if newsletter not in sub.newsletters:
            continue
        add(
            sub.email.strip().lower(),
            Recipient(
                email=sub.email.strip(),
                name=sub.name,
                edition="public",
                lang=sub.lang or issue_lang,
            ),
        )
    return Plan(
        tuple(chosen.values()), county, tuple(left_out.values()), len(dropped), tuple(dropped)
    )
