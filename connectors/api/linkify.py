"""Phone numbers, web and e-mail addresses in a reply as links, cut into segments so no HTML is ever
built from content: the pages render the segments as text nodes and <a> elements.

Only what the text already says becomes a link; nothing is added or changed. A phone number gets a
`tel:` address and a name for screen readers that adds its digits one by one, in the groups it is written
in, so "(0299) 452 452" is not only read as "two hundred ninety-nine".
"""

from __future__ import annotations

import re
from typing import TypedDict

# Dutch numbers as the content writes them. A short number (112, 113) only as a word of its own and
# never as part of a web address ("113.nl").
_PHONE = re.compile(
    r"(?<![\w@/.+-])(?:"
    r"\(0\d{2,3}\)\s?\d{3}\s?\d{2,4}"  # (0299) 452 452
    r"|0[89]00[- ]?\d{4,7}"  # 0800-2000, 0900-1234
    r"|0\d{1,3}[- ]\d{3}[- ]?\d{3,4}"  # 020-123 4567, 0299 452452
    r"|0\d{9}"  # 0299452452
    r"|14\s?0\d{2,3}"  # 14 0299: a gemeente's short number
    r"|11[23]"  # 112, 113
    r")(?![\w@-]|[.,]\w)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_WEB = re.compile(
    r"(?<![\w@/.-])(?:https?://[^\s<>\"']+|(?:www\.)?(?:[a-z0-9-]+\.)+(?:nl|com|org|eu|net|info)(?:/[^\s<>\"']*)?)"
    r"(?![\w@-])",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)"  # sentence punctuation after an address is not part of it


class Segment(TypedDict, total=False):
    text: str  # shown as is; a line break in it is a line break on the page
    href: str  # a link: tel:, https:, http: or mailto:
    label: str  # the link's name for screen readers when the text alone reads badly (phone numbers)
    kind: str  # "tel", "web" or "mail"


def tel_href(number: str) -> str:
    """tel:+31... for a full Dutch number, the digits as written for a short or free number."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0") and len(digits) == 10 and not digits.startswith(("0800", "0900")):
        return f"tel:+31{digits[1:]}"
    return f"tel:{digits}"


def spoken_digits(number: str) -> str:
    """'(0299) 452 452' -> '0 2 9 9, 4 5 2, 4 5 2': each digit on its own, the groups as written."""
    return ", ".join(" ".join(group) for group in re.findall(r"\d+", number))


def _web_href(address: str) -> str:
    return address if re.match(r"https?://", address, re.IGNORECASE) else f"https://{address}"


def _matches(text: str) -> list[tuple[int, int, Segment]]:
    found: list[tuple[int, int, Segment]] = []
    for match in _EMAIL.finditer(text):
        found.append((match.start(), match.end(), {"href": f"mailto:{match.group(0)}", "kind": "mail"}))
    for match in _WEB.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(address)
        found.append((match.start(), end, {"href": _web_href(address), "kind": "web"}))
    for match in _PHONE.finditer(text):
        number = match.group(0)
        # The name starts with what is shown (WCAG 2.5.3, label in name: speech input users say what they
        # see), then the digits one by one for a screen reader.
        link: Segment = {"href": tel_href(number), "label": f"{number}, {spoken_digits(number)}", "kind": "tel"}
        found.append((match.start(), match.end(), link))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, Segment]] = []
    for start, end, link in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, link))
    return kept


def segments(text: str) -> list[Segment]:
    """The text as plain and link segments, in order; joined, their texts are the text again."""
    pieces: list[Segment] = []
    position = 0
    for start, end, link in _matches(text):
        if start > position:
            pieces.append({"text": text[position:start]})
        pieces.append({"text": text[start:end], **link})
        position = end
    if position < len(text) or not pieces:
        pieces.append({"text": text[position:]})
    return pieces


def paragraphs(text: str) -> list[list[Segment]]:
    """One list of segments per paragraph (blank line between paragraphs); a single line break stays
    in a segment's text."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", str(text)) if block.strip()]
    return [segments(block) for block in blocks] or [[{"text": ""}]]
