"""Postcode with house number: '1441 DM 42', '1441DM 42a', 'Purmersteenweg 42, 1441 DM', 'postcode 1441 DM en
huisnummer 42'. A postcode alone ('wijkteam voor 1441 DM?') and a street with a number but no postcode
('Kerkstraat 12') stay: neither pins down one household, and the postcode helps find the right wijkteam.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegwijzer.privacy.kinds import ADDRESS, Finding

_SP = r"[ \u00a0]"
_POSTCODE = re.compile(r"(?<![\w\-])[1-9]\d{3}(?P<sep>[ \u00a0\-]?)(?P<letters>[A-Za-z]{2})(?![A-Za-z_])")
# Letter pairs that are never used (SA, SD, SS) and two-letter words/units that follow a number in running text.
_NOT_POSTCODE_LETTERS = {"SA", "SD", "SS"}
_WORDS = {
    "en", "of", "op", "in", "om", "is", "te", "na", "al", "ik", "je", "we", "ze", "de", "he", "me", "er", "zo",
    "nu", "to", "at", "on", "an", "as", "by", "it", "or", "so", "up", "my", "no", "ja", "km", "kg", "cm", "mm",
    "ml", "cl", "uur", "pm", "am", "eu", "mg", "gb", "mb", "kb", "ct", "jr", "st", "nd", "rd", "th", "pp",
}  # fmt: skip

_HOUSE = r"\d{1,5}(?:" + _SP + r"?[A-Za-z](?![\w])|-\d{1,4}(?!\d)|" + _SP + r"?-?" + _SP + r"?(?:hs|bis|[IVX]{1,3})\b)?"
_NUMBER_WORD = r"(?:huisnummer|huisnr\.?|nummer|nr\.?|no\.?|house[ \u00a0]number|number)"
# '1441 DM 42', '1441 DM, nr. 14', '1703 RS en huisnummer 8' ('en 45' only with a number word: '1200 KM en 45 euro')
_AFTER_POSTCODE = re.compile(
    rf"{_SP}*,?{_SP}*(?:(?:(?:en|and){_SP}+)?(?:(?:mijn|my){_SP}+)?{_NUMBER_WORD}{_SP}*(?:is{_SP}+|:{_SP}*)?)?(?P<house>{_HOUSE})"
    rf"(?![\w.,]\d|\w)",
    re.IGNORECASE,
)
_STREET_WORD = (
    r"(?:[A-ZÀ-Þ][\w'.\-]*|\d{1,2}(?:e|ste|de)|van|de|der|den|het|'t|ten|ter|la|le|[\w'.\-]+?"
    r"(?:straat|weg|laan|plein|gracht|kade|dijk|singel|hof|pad|dreef|steeg|park|plantsoen|markt|erf|ring|baan|"
    r"wal|veld|zijde|kwartier|dam|oord|haven|street|road|lane|avenue))"
)
_BEFORE_POSTCODE = re.compile(
    rf"(?P<street>{_STREET_WORD}(?:{_SP}+{_STREET_WORD}){{0,4}}){_SP}+(?P<house>{_HOUSE}){_SP}*,?{_SP}*\Z"
)
_HOUSE_BEFORE_POSTCODE = re.compile(
    rf"{_NUMBER_WORD}{_SP}*(?:is{_SP}+|:{_SP}*)?(?P<house>{_HOUSE}){_SP}*,?{_SP}*(?:(?:en|and){_SP}+)?"
    rf"(?:(?:mijn|my){_SP}+)?(?:postcode|zip(?:{_SP}?code)?|postal{_SP}code)?{_SP}*(?:is{_SP}+|:{_SP}*)?\Z",
    re.IGNORECASE,
)
_LEADING_STOPWORDS = {
    "ik", "mijn", "wij", "we", "ons", "onze", "adres", "address", "my", "our", "i", "woon", "wonen", "op", "aan",
    "in", "te", "is", "at", "live", "the", "bij", "naar", "u", "uw", "hij", "zij", "ze", "woont", "lives",
}  # fmt: skip
_WINDOW = 80
_POSTBUS = re.compile(r"postbus|antwoordnummer|p\.?o\.?[ \u00a0]?box", re.IGNORECASE)


def _is_postcode(match: re.Match[str]) -> bool:
    letters = match.group("letters")
    if letters.upper() in _NOT_POSTCODE_LETTERS:
        return False
    if letters.isupper():
        return True
    return letters.lower() not in _WORDS or (match.group("sep") == "" and letters.lower() not in {"km", "kg", "cm"})


def _trim_street(text: str, start: int, end: int) -> int:
    """Move the start past leading words that are not part of a street name ('Ik woon op de Kerkstraat 12')."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for word in words[:-2]:  # the street's last word and the number stay
        if word.group(0).lower().strip(",.:") not in _LEADING_STOPWORDS:
            return start + word.start()
    return start + words[-2].start() if len(words) >= 2 else start


def find_address(text: str) -> Iterator[Finding]:
    for postcode in _POSTCODE.finditer(text):
        if not _is_postcode(postcode):
            continue
        start, end = postcode.start(), postcode.end()
        after = _AFTER_POSTCODE.match(text, end)
        before_window = text[max(0, start - _WINDOW) : start]
        offset = start - len(before_window)
        street = _BEFORE_POSTCODE.search(before_window)
        numbered = _HOUSE_BEFORE_POSTCODE.search(before_window)
        if street is None and numbered is None and after is None:
            continue
        if street is not None and _POSTBUS.search(street.group("street")):
            continue  # an organisation's postal address, no one's home
        if street is not None:
            start = _trim_street(text, offset + street.start(), offset + street.end())
        elif numbered is not None:
            start = offset + numbered.start()
        if after is not None and (street is None or _is_house_only(after)):
            end = after.end()
        yield Finding(ADDRESS, start, end)


def _is_house_only(after: re.Match[str]) -> bool:
    """After 'Kerkstraat 12, 1441 DM' a number is not a second house number unless it is labelled as one."""
    return bool(re.search(_NUMBER_WORD, after.group(0), re.IGNORECASE))
