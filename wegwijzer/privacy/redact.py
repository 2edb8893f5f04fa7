"""Find all personal data in a text and replace it with readable placeholders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from wegwijzer.privacy.address import find_address
from wegwijzer.privacy.announced import find_announced_start
from wegwijzer.privacy.dates import date_shields, find_birthdate
from wegwijzer.privacy.kinds import PLACEHOLDERS, Finding
from wegwijzer.privacy.mail import find_email
from wegwijzer.privacy.normalise import normalise
from wegwijzer.privacy.numbers import find_bsn, find_iban, find_phone

Detector = Callable[[str], Iterable[Finding]]

# Order matters: an e-mail address or IBAN can contain digits that look like a phone number or BSN; dates are
# found before numbers so that '12-03-2023 10' is never read as a phone number.
DETECTORS: tuple[Detector, ...] = (find_email, find_iban, find_birthdate, find_bsn, find_phone, find_address)
_MASK = "#"


class Redacted(NamedTuple):
    """The text with placeholders, and the kinds of personal data that were found (each once, in order)."""

    text: str
    found: tuple[str, ...]


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]


def findings(text: str, announced: bool = True) -> list[Finding]:
    """Every piece of personal data in the text, without overlaps, in text order: found in the
    normalised text (normalise.py), given as spans of the text as typed. With `announced`, also the
    beginning of a number the text announces at its end ('mijn bsn is 1634', announced.py)."""
    normal = normalise(text)
    found = _findings(normal.text, DETECTORS + ((find_announced_start,) if announced else ()))
    spans = ((finding.kind, *normal.span(finding.start, finding.end)) for finding in found)
    return [Finding(kind, start, end) for kind, start, end in spans]


def _findings(text: str, detectors: tuple[Detector, ...] = DETECTORS) -> list[Finding]:
    masked = text
    found: list[Finding] = []
    for detector in detectors:
        for finding in list(detector(masked)):
            found.append(finding)
            masked = _mask(masked, finding.start, finding.end)
        if detector is find_birthdate:
            for start, end in date_shields(masked):  # other dates (appointments) stay, but are not numbers
                masked = _mask(masked, start, end)
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> Redacted:
    """Replace BSN, IBAN, phone numbers, e-mail addresses, postcode + house number and dates of birth."""
    if not text:
        return Redacted(text or "", ())
    return replace_findings(text, findings(text))


def replace_findings(text: str, found: list[Finding]) -> Redacted:
    """Each finding (sorted, not overlapping) replaced by its kind's placeholder."""
    parts: list[str] = []
    position = 0
    kinds: list[str] = []
    for finding in found:
        parts.append(text[position : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        position = finding.end
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    parts.append(text[position:])
    return Redacted("".join(parts), tuple(kinds))
