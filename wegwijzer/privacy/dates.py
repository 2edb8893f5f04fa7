"""Dates of birth.

Rule (measured on tests/data/pii_corpus.yaml, see docs/privacy.md):
- a date near a birth cue is a date of birth, also without a year ("geboren op 12 maart"): the cue up to 40
  characters before it ("geboren", "geb.", "geboortedatum", "jarig", "born", "date of birth", "DOB", and the same in
  Turkish, Polish, Ukrainian, Arabic) or right after it ("01-02-1948 geboren");
- a full date (day, month and year) with a year from 1900 up to BIRTH_YEAR_BEFORE (exclusive) is a date of birth
  too ("mevr. Jansen, 12-05-1939, ..."), unless a preposition or event word right before it makes it the date of
  something that happened ("sinds", "vanaf", "van", "op", "per", "tot", "since", "from", "on", "dated", "d.d.");
- every other date stays: appointments ("afspraak op 12 maart"), letters of recent years, years alone
  ("geboren in 1985"), and a bare two-digit year without a cue ('12 maart 10' may be ten o'clock).

All numeric dates, also those that stay, are shields so that no phone number or BSN is read into them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from wegwijzer.privacy.kinds import BIRTHDATE, Finding

BIRTH_YEAR_BEFORE = 2015
TWO_DIGIT_PIVOT = 30  # '85 → 1985, '12 → 2012

_MONTHS = (
    # Dutch and English, full and abbreviated
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|may|june|july|august|october|"
    "jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec|"
    # Turkish
    "ocak|şubat|subat|mart|nisan|mayıs|mayis|haziran|temmuz|ağustos|agustos|eylül|eylul|ekim|kasım|kasim|aralık|aralik|"
    # Polish (genitive, as in dates)
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|wrzesnia|października|pazdziernika|"
    "listopada|grudnia|"
    # Ukrainian (genitive)
    "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)

_NUMERIC = re.compile(
    r"(?<![\w.,/\-])(?:"
    r"(?P<d>\d{1,2}) ?(?P<sep>[\-/.]) ?(?P<m>\d{1,2}) ?(?P=sep) ?(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r")(?!\w)(?![\-/.,]\d)"
)
_WORDED = re.compile(
    rf"(?<!\w)(?:"
    rf"(?P<d>\d{{1,2}})(?:e|de|ste|st|nd|rd|th)?\.?(?:[ \u00a0]+of)?[ \u00a0]+(?P<month>{_MONTHS})\.?"
    rf"(?:,?[ \u00a0]+(?P<y>\d{{4}}|'?\d{{2}}))?"
    rf"|(?P<month2>{_MONTHS})\.?[ \u00a0]+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ \u00a0]+(?P<y2>\d{{4}}))?"
    rf")(?!\w)",
    re.IGNORECASE,
)

_BIRTH_CUE = re.compile(
    r"(?:geboren|jarig|verjaardag|geb\.|geb\b|geboortedatum|geboortedag|geb\.?\s?datum|geboorte|born|birth|d\.?o\.?b\b|"
    r"doğum|dogum|urodzon|urodzin|urodzeni|urodził|народ|ميلاد|مواليد|ولدت)",
    re.IGNORECASE,
)
_EVENT_CUE = re.compile(
    r"(?:\b(?:sinds|vanaf|van|op|in|per|tot|t/m|since|from|on|at|in|until|till|dated|ingangsdatum)|\bd\.d\.)[\s:]*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40
_CUE_AFTER = 12  # '01-02-1948 geboren'


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    digits = raw.lstrip("'")
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    return year


def _numeric_ok(day: int, month: int) -> bool:
    """Day and month valid in either order (12/03 or 03/12)."""
    return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)


class DateMatch(NamedTuple):
    start: int
    end: int
    year: int | None
    short_end: int  # the end without a bare two-digit year ('12 maart 10' may be 12 March at ten o'clock)


def all_dates(text: str) -> list[DateMatch]:
    """Every date in the text: numeric (12-03-1985, 3/4/85, 1985-03-12) and worded (12 maart 1985, March 12)."""
    found: list[DateMatch] = []
    for match in _NUMERIC.finditer(text):
        if match.group("d"):
            day, month, year = int(match.group("d")), int(match.group("m")), _year(match.group("y"))
        else:
            day, month, year = int(match.group("id")), int(match.group("im")), int(match.group("iy"))
        if _numeric_ok(day, month) and year is not None and 1900 <= year <= 2099:
            found.append(DateMatch(match.start(), match.end(), year, match.end()))
    for match in _WORDED.finditer(text):
        day = int(match.group("d") or match.group("d2"))
        if 1 <= day <= 31 and not any(d.start < match.end() and match.start() < d.end for d in found):
            raw_year = match.group("y") or match.group("y2")
            if raw_year is not None and len(raw_year) == 2:
                short_end = match.start("y") if match.group("y") else match.end()
                short_end = len(text[:short_end].rstrip(" \u00a0,"))
                found.append(DateMatch(match.start(), match.end(), None, short_end))
            else:
                found.append(DateMatch(match.start(), match.end(), _year(raw_year), match.end()))
    return sorted(found, key=lambda d: d.start)


def _has_birth_cue(text: str, date: DateMatch) -> bool:
    before = text[max(0, date.start - _CUE_WINDOW) : date.start]
    after = text[date.end : date.end + _CUE_AFTER]
    return bool(_BIRTH_CUE.search(before) or _BIRTH_CUE.match(after.lstrip(" ,)")))


def is_birthdate(text: str, date: DateMatch) -> bool:
    """The rule in the module docstring."""
    if _has_birth_cue(text, date):
        return True
    if date.year is None or not 1900 <= date.year < BIRTH_YEAR_BEFORE:
        return False
    return _EVENT_CUE.search(text[max(0, date.start - _CUE_WINDOW) : date.start]) is None


# Only next to a birth cue, where nothing else is meant: '18071976' and '18 07 1976' (ddmmyyyy).
_BARE = re.compile(r"(?<![\d.,/\-])(?P<d>\d{2}) ?(?P<m>\d{2}) ?(?P<y>(?:19|20)\d{2})(?![\d.,/\-]?\d)")


def _bare_dates(text: str, known: list[DateMatch]) -> list[DateMatch]:
    found = []
    for match in _BARE.finditer(text):
        day, month = int(match.group("d")), int(match.group("m"))
        overlaps = any(d.start < match.end() and match.start() < d.end for d in known)
        if 1 <= day <= 31 and 1 <= month <= 12 and not overlaps:
            found.append(DateMatch(match.start(), match.end(), int(match.group("y")), match.end()))
    return found


def find_birthdate(text: str) -> Iterator[Finding]:
    dates = all_dates(text)
    for date in _bare_dates(text, dates):
        if _has_birth_cue(text, date):
            yield Finding(BIRTHDATE, date.start, date.end)
    for date in dates:
        if _has_birth_cue(text, date):
            yield Finding(BIRTHDATE, date.start, date.end)
        elif is_birthdate(text, date):
            yield Finding(BIRTHDATE, date.start, date.short_end)


def date_shields(text: str) -> list[tuple[int, int]]:
    """Spans of numeric dates, birth or not, that later detectors (phone, BSN) must not read into."""
    return [match.span() for match in _NUMERIC.finditer(text)]
