"""The crisis safety net: checked on every message, before and apart from anything else.

Patterns come from knowledge/crisis.yaml. All languages' patterns are tried on every message,
since someone in distress may write in another language than the one the page is set to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wegwijzer.dialogue.messages import Reply
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import CrisisSignal
from wegwijzer.text import fold


@dataclass(frozen=True)
class CrisisMatch:
    signal: CrisisSignal
    lang: str  # the language of the pattern that matched


class CrisisDetector:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.phrasebook = Phrasebook(knowledge)
        self._patterns = [
            (signal, lang, re.compile(fold(pattern)))
            for signal in knowledge.crisis
            for lang, patterns in signal.patterns.items()
            for pattern in patterns
        ]

    def detect(self, text: str) -> list[CrisisMatch]:
        """The signals in `text`, each once, in the order of knowledge/crisis.yaml."""
        folded = " ".join(fold(text).replace("’", "'").split())
        found: dict[str, CrisisMatch] = {}
        for signal, lang, pattern in self._patterns:
            if signal.id not in found and pattern.search(folded):
                found[signal.id] = CrisisMatch(signal, lang)
        order = [s.id for s in self.phrasebook.knowledge.crisis]
        return sorted(found.values(), key=lambda m: order.index(m.signal.id))

    def replies_for_line(self, service_id: str, lang: str | None) -> list[Reply]:
        """The crisis texts of the first signal that points to this national line."""
        signal = next((s for s in self.phrasebook.knowledge.crisis if s.lines and s.lines[0] == service_id), None)
        return self.replies([CrisisMatch(signal, lang or "nl")], lang) if signal else []

    def replies(self, matches: list[CrisisMatch], lang: str | None) -> list[Reply]:
        """The crisis texts in the user's language; acute danger (112) is always part of them."""
        texts = [self.phrasebook.say(m.signal.text, lang) for m in matches]
        if matches:
            texts.append(self.phrasebook.say("crisis_more", lang))
        return [Reply(" ".join(texts))] if texts else []
