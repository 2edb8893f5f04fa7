"""The first part of a number that the message itself announces, at the end of the message.

A resident may send 'mijn bsn is 1634' and the rest of the number in the next message. The split redactor
(split.py) catches the whole number in the second message, but by then the first message has been stored:
eight of nine digits of a BSN come close to the number itself. A message that names the kind of number
(bsn, iban, rekeningnummer, telefoon, bel me op, ...) and then ends in the beginning of such a number
(too short to be the whole one) has that beginning redacted as the kind it announces:

    'mijn bsn is 1634'          -> 'mijn bsn is [BSN]'
    'bel me op 06'              -> 'bel me op [telefoonnummer]'
    'mijn rekening NL91 ABNA'   -> 'mijn rekening [IBAN]'

Only at the end of a message (the rest may follow), only after the cue word with at most a few words
between and no end of a sentence, and only digits that can begin the kind: a phone number starts with 0 or
+ (never 0800/090x, 112, 113, 14 0299), an IBAN with a country and check digits or a Dutch bank's code.
Amounts, years, case numbers and times have no such cue before them and stay. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegwijzer.privacy.kinds import BSN, IBAN, PHONE, Finding
from wegwijzer.privacy.numbers import _DUTCH_BANKS, _SERVICE_PREFIXES

_CUES = {
    BSN: r"bsn|burger ?service ?nummer|sofi ?(?:nummer|nr)?|persoonsnummer",
    IBAN: r"iban|(?:bank)?rekening(?:nummer|nr)?|reknr|bankrekening|account(?: number)?|hesap(?: no)?|konto|рахунок",
    PHONE: r"telefoon(?:nummer)?|tel(?:ef)?(?:nr)?|mobiel(?:e)?(?: ?nummer)?|gsm|06-?nummer|bel(?:len)?|"
    r"belt|bereikbaar|whatsapp|nummer|phone|call|telefon(?:um)?|numer|номер|هاتف|رقم",
}
# Between the cue and the number: a few words, a colon, comma or equals sign; never the end of a sentence.
_BETWEEN = r"[ :=,]*(?:[^\W\d_]+\.?[ :=,]+){0,6}?"
_END = r"[ )]*$"  # only closing spaces after it: the number may go on in the next message
_DIGITS = r"\d(?:[ .\-/_]?\d)*"
_PARTS = {
    BSN: _DIGITS,
    PHONE: rf"(?:\+ ?|\(?)0?{_DIGITS}\)?(?:[ .\-/_]?{_DIGITS})?",
    IBAN: rf"(?:[A-Za-z]{{2}} ?\d{{2}}(?:[ .\-]?[A-Za-z0-9])*|(?:{_DUTCH_BANKS})(?:[ .\-]?\d)*|{_DIGITS})",
}
_PATTERNS = {
    kind: re.compile(
        rf"(?<![^\W_])(?P<cue>{_CUES[kind]})(?![^\W_]){_BETWEEN}(?P<part>{_PARTS[kind]}){_END}", re.IGNORECASE
    )
    for kind in (BSN, IBAN, PHONE)
}
_WHOLE_DIGITS = {BSN: 9, PHONE: 10}  # as many digits or more: a whole number, judged by the rules in numbers.py


# Digits alone count as the beginning of an account number only after a cue that names a number, not after
# 'rekening' ('op mijn rekening staat nog 350').
_ACCOUNT_NUMBER_CUE = re.compile(r"iban|nummer|nr|number|no", re.IGNORECASE)


def _is_beginning(kind: str, part: str, cue: str) -> bool:
    digits = re.sub(r"\D", "", part)
    if len(digits) < 2:
        return False  # 'ik heb 1 bsn': one digit begins too many things
    if kind == BSN:
        return 3 <= len(digits) < _WHOLE_DIGITS[BSN]  # 'mijn bsn weet ik niet, ik ben 67': an age
    if kind == PHONE:
        if part.lstrip("( ").startswith("+"):
            return len(digits) < 11
        if not digits.startswith("0") or digits.startswith(_SERVICE_PREFIXES):
            return False  # '112', '14 0299', '0800 1234', an amount or a time
        return len(digits) < _WHOLE_DIGITS[PHONE]
    compact = re.sub(r"[ .\-]", "", part).upper()
    if compact[:2].isalpha():
        return len(compact) < 18  # the shortest IBAN (Norway) has 15; a Dutch one 18
    return bool(_ACCOUNT_NUMBER_CUE.search(cue)) and len(digits) < 10


def find_announced_start(text: str) -> Iterator[Finding]:
    """At most one finding: the beginning of an announced number that ends the text."""
    for kind, pattern in _PATTERNS.items():
        match = pattern.search(text[-120:])
        if match and _is_beginning(kind, match.group("part"), match.group("cue")):
            offset = max(0, len(text) - 120)
            start, end = match.start("part") + offset, match.end("part") + offset
            yield Finding(kind, start, end)
            return
