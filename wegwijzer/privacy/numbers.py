"""BSN, IBAN and phone numbers: found by pattern, confirmed by check digit or numbering plan."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegwijzer.privacy.checks import IBAN_LENGTHS, elfproef, iban_valid
from wegwijzer.privacy.kinds import BSN, IBAN, PHONE, Finding

_SPACE = " \u00a0"

# Nine digits in any grouping, split by a space, '.', '-', '/' or '_' (with spaces around it or not):
# '123 456 782', '1234.56.782' as on an ID card, '123 45 6782' over three words. Glued to letters
# counts too ('bsn123456782x'). Not inside a longer number, not an amount (€ 123.456.782).
_BSN_SEP = r"(?: ?[.\-–/_] ?| )?"
_BSN = re.compile(
    r"(?<![\d+])(?<!\d[ .,\-–/_])(?<!\d [.\-–/_])(?<!\d [.\-–/_] )(?<![€$£])(?<![€$£] )"
    rf"(\d(?:{_BSN_SEP}\d){{8}})"
    r"(?![.,\-–/_]?\d)(?! ?[.\-–/_] ?\d)"
)


def find_bsn(text: str) -> Iterator[Finding]:
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if elfproef(digits):
            yield Finding(BSN, match.start(1), match.end(1))


# Also 'NL 44 RABO ...', and glued to a lowercase word before it ('ibanNL44RABO...').
_IBAN_START = re.compile(r"(?:(?<![A-Za-z0-9])[A-Za-z]{2}|(?<=[a-z])[A-Z]{2})[ \u00a0]?\d{2}")
_IBAN_BODY = re.compile(r"(?:[ \u00a0.\-]?[A-Za-z0-9]){1,40}")  # at most 34 characters are used


def _iban_at(text: str, start: int) -> int | None:
    """The end of a valid IBAN that starts at `start`, or None."""
    body = _IBAN_BODY.match(text, start)
    if body is None:
        return None
    positions = [start + i for i, char in enumerate(body.group(0)) if char.isalnum()]
    country = text[start : start + 2]
    length = IBAN_LENGTHS.get(country.upper())
    if length is None or length > len(positions) or (text[start + 2].isspace() and not country.isupper()):
        return None  # no IBAN country, too short, or 'de 12 ...' (a spaced check number only after 'NL', 'BE', ...)
    end = positions[length - 1] + 1
    if end < len(text) and text[end].isalnum():
        return None  # the IBAN would end in the middle of a word or number
    iban = "".join(text[p] for p in positions[:length])
    if sum(char.isdigit() for char in iban[4:]) * 2 < len(iban) - 4:
        return None  # account numbers are mostly digits; this is running text
    return end if iban_valid(iban) else None


# A Dutch account written without 'NLkk': the bank's code and ten digits ('RABO 0123 4567 89').
# Without the country there is no check digit to test, so only the banks' own codes count.
_DUTCH_BANKS = "ABNA|ASNB|BUNQ|INGB|KNAB|RABO|RBRB|SNSB|TRIO|FVLB|HAND|NWAB|BITS|REVO"
_DUTCH_ACCOUNT = re.compile(rf"(?<![A-Za-z0-9])(?:{_DUTCH_BANKS})(?: ?[.\-]? ?\d){{10}}(?![\d])", re.IGNORECASE)


def find_iban(text: str) -> Iterator[Finding]:
    full = list(_find_full_iban(text))
    yield from full
    for match in _DUTCH_ACCOUNT.finditer(text):
        if not any(f.start < match.end() and match.start() < f.end for f in full):
            yield Finding(IBAN, match.start(), match.end())


def _find_full_iban(text: str) -> Iterator[Finding]:
    position = 0
    while True:
        match = _IBAN_START.search(text, position)
        if match is None:
            return
        end = _iban_at(text, match.start())
        if end is None:
            position = match.start() + 1
        else:
            yield Finding(IBAN, match.start(), end)
            position = end


# A run of digit groups: an optional +, groups of digits or a parenthesised area code, separated by
# at most a space, a hyphen/dot/slash and a space. The groups are then tried as phone numbers.
_GROUP = r"(?:\(\d{1,5}\)|\d+)"
_SEP = r"[ \u00a0]?[\-–—./_]?[ \u00a0]?"
_PHONE_RUN = re.compile(rf"(?<![\w+@])(?<!\d[.,\-–])(?<!\d\))(\+[ \u00a0]?)?{_GROUP}(?:{_SEP}{_GROUP})*")
_DIGITS = re.compile(r"\d+")

# Numbers of organisations, never of a resident: kept (0800 free, 090x paid information numbers).
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")


def phone_digits_ok(digits: str, plus: bool) -> bool:
    """Whether a digit string is a phone number: Dutch national (10 digits, 0 then a non-zero),
    Dutch international (+31/0031, optionally (0), then 9 digits), or another country's (+ or 00, 8–15 digits)."""
    if plus or digits.startswith("00"):
        international = digits if plus else digits[2:]
        if international.startswith("31"):
            rest = international[2:]
            rest = rest[1:] if rest.startswith("0") else rest
            return len(rest) == 9 and rest[0] != "0"
        return 8 <= len(international) <= 15 and international[0] != "0"
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0" and not digits.startswith(_SERVICE_PREFIXES)


_MAX_GROUPS = 8  # '+212 6 12 34 56 78' has 7
_MAX_DIGITS = 17  # E.164 allows 15, plus a 00 prefix or a (0)


def _best_phone(run: str, plus: bool) -> tuple[int, int] | None:
    """The earliest, longest sequence of whole digit groups in `run` that is a phone number (offsets in run)."""
    groups = list(_DIGITS.finditer(run))
    for first in range(len(groups)):
        digits = ""
        best: int | None = None
        for last in range(first, min(len(groups), first + _MAX_GROUPS)):
            digits += groups[last].group(0)
            if len(digits) > _MAX_DIGITS:
                break
            if phone_digits_ok(digits, plus and first == 0):
                best = last
        if best is not None:
            start = 0 if first == 0 else groups[first].start()
            if start > 0 and run[start - 1] == "(":
                start -= 1
            end = groups[best].end()
            if end < len(run) and run[end] == ")":
                end += 1
            return start, end
    return None


def find_phone(text: str) -> Iterator[Finding]:
    position = 0
    while True:
        match = _PHONE_RUN.search(text, position)
        if match is None:
            return
        best = _best_phone(match.group(0), match.group(1) is not None)
        if best is None:
            position = match.end()
        else:
            yield Finding(PHONE, match.start() + best[0], match.start() + best[1])
            position = match.start() + best[1]
