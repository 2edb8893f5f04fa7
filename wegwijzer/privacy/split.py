"""A number split over two messages: the redactor also reads the end of the previous message.

A resident may send '123 45' and then '6782', or '06' and then '12345678'. Neither part alone is a BSN or
a phone number, so each would be kept. `SplitRedactor` remembers, per conversation and in memory only, the
end of the previous message when that end could be the start of a number (its last words that hold a digit,
at most TAIL_CHARS characters), reads it together with the next message, and redacts the part of the next
message that completes the number. What it remembers is forgotten after TTL_S, and at most MAX_SESSIONS
conversations are remembered (the least recently used go first). Nothing is stored or logged.

The first part was already sent on by then. When the message announced it ('mijn bsn is 1634', 'bel me op
06'), redact() already took it out of what is sent on (announced.py); a bare beginning ('1634') stays as it
is: on its own it is not personal data.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from wegwijzer.privacy.kinds import Finding
from wegwijzer.privacy.normalise import normalise
from wegwijzer.privacy.redact import Redacted, findings, replace_findings

TAIL_CHARS = 40  # 'NL91 ABNA 0417 16' and 'postcode 1441' fit; a whole IBAN has 18-34 characters
TTL_S = 600.0
MAX_SESSIONS = 20_000
JOIN = " "  # the two messages are read as one text with a space between them

# The last words of a message that could begin a number: each holds a digit, or is a bank's or country's
# letters right before one ('NL91 ABNA', 'RABO'), joined by spaces or the separators numbers use.
_TAIL = re.compile(r"(?:[A-Za-z]{0,4}\d[\dA-Za-z]*[ .\-/_]*)+$|[A-Za-z]{2}\d{2}(?:[ .\-]?[A-Za-z0-9]{1,4})*[ .\-]*$")


def number_tail(text: str) -> str:
    """The end of `text` (normalised) that could be the first part of a number, or ''."""
    normal = normalise(text).text.rstrip()
    match = _TAIL.search(normal[-TAIL_CHARS:])
    return match.group(0).strip() if match else ""


def redact_with_tail(tail: str, text: str, announced: bool = True) -> Redacted:
    """Redact `text` as it is, and also the start of it that completes a number begun in `tail`. With
    `announced`, also a beginning of a number the message announces at its end (announced.py)."""
    spans = [(f.start, f.end, f.kind) for f in findings(text, announced)]
    if tail:
        offset = len(tail) + len(JOIN)
        for finding in findings(tail + JOIN + text, announced=False):
            if finding.start < offset < finding.end:  # begins in the tail, ends in this message
                spans.append((0, finding.end - offset, finding.kind))
    return replace_findings(text, _merged(spans))


def _merged(spans: list[tuple[int, int, str]]) -> list[Finding]:
    """Overlapping spans as one (the kind of the first)."""
    merged: list[Finding] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Finding(last.kind, last.start, max(last.end, end))
        else:
            merged.append(Finding(kind, start, end))
    return merged


class SplitRedactor:
    """redact() per conversation, with the end of the conversation's previous message kept in memory."""

    def __init__(
        self, ttl_s: float = TTL_S, max_sessions: int = MAX_SESSIONS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.max_sessions = max_sessions
        self.clock = clock
        self._tails: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tails)

    def redact(self, session: str, text: str) -> Redacted:
        now = self.clock()
        with self._lock:
            remembered = self._tails.pop(session, None)
        tail = remembered[0] if remembered and now - remembered[1] <= self.ttl_s else ""
        result = redact_with_tail(tail, text)
        # The next message is read after what is left of this one (placeholders are no digits to continue);
        # an announced beginning is redacted in what is sent on, but is what the next message may complete.
        whole = redact_with_tail(tail, text, announced=False).text
        following = number_tail((tail + JOIN + whole) if tail and whole == text else whole)
        with self._lock:
            if following:
                self._tails[session] = (following, now)
                while len(self._tails) > self.max_sessions:
                    self._tails.popitem(last=False)
            self._forget_old(now)
        return result

    def _forget_old(self, now: float) -> None:
        for _ in range(4):  # a few per call: the oldest are first
            if not self._tails:
                return
            session, (_, at) = next(iter(self._tails.items()))
            if now - at <= self.ttl_s:
                return
            del self._tails[session]
