"""The Recipient record shared by email editions (rendering) and the audience plan (sending)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipient:
    """One address that receives one edition of a newsletter issue, in one written standard."""

    email: str
    name: str = ""
    edition: str = "public"  # "partner" | "public"
    lang: str = "nn"  # "nn" | "nb"
    partner_id: str | None = None  # kommunenummer / fylkesnummer for partner contacts
    organisation: str = ""  # the municipality or county council's name, for personalisation
    role: str = ""
