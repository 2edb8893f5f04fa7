"""E-mail addresses (also the common 'naam(at)domein.nl' spelling)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wegwijzer.privacy.kinds import EMAIL, Finding

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]*\w"
    r"(?:[ \u00a0]?@[ \u00a0]?|[ \u00a0]?(?:\(at\)|\[at\]|\{at\})[ \u00a0]?)"
    r"\w[\w\-]*(?:\.[\w\-]+)*\.[A-Za-z]{2,24}(?![\w\-]|\.\w)",
    re.IGNORECASE,
)


def find_email(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(EMAIL, match.start(), match.end())
