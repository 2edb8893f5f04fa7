"""The kinds of personal data that are redacted, and the readable placeholder for each."""

from __future__ import annotations

from typing import NamedTuple

BSN = "bsn"
IBAN = "iban"
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"
BIRTHDATE = "birthdate"

KINDS: tuple[str, ...] = (BSN, IBAN, PHONE, EMAIL, ADDRESS, BIRTHDATE)

PLACEHOLDERS: dict[str, str] = {
    BSN: "[BSN]",
    IBAN: "[IBAN]",
    PHONE: "[telefoonnummer]",
    EMAIL: "[e-mailadres]",
    ADDRESS: "[postcode en huisnummer]",
    BIRTHDATE: "[geboortedatum]",
}


class Finding(NamedTuple):
    """One piece of personal data: its kind and where it is in the text (start inclusive, end exclusive)."""

    kind: str
    start: int
    end: int
