"""E-mail addresses (also spelled 'naam(at)domein.nl', 'naam @ domein punt nl')."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegwijzer.privacy.kinds import EMAIL, Finding

# The dot of the domain also spelled out: 'hotmail punt nl', 'outlook [punt] com', 'ukr [dot] net'.
_DOT = r"(?:\.|[ \u00a0]?[\[(](?:punt|dot)[\])][ \u00a0]?|[ \u00a0](?:punt|dot)[ \u00a0])"
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]*\w"
    r"(?:[ \u00a0]?[\[(]?@[\])]?[ \u00a0]?|[ \u00a0]?(?:\(at\)|\[at\]|\{at\})[ \u00a0]?)"
    rf"\w[\w\-]*(?:{_DOT}[\w\-]+)*{_DOT}[A-Za-z]{{2,24}}(?![\w\-]|\.\w)",
    re.IGNORECASE,
)


def find_email(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(EMAIL, match.start(), match.end())
