"""The crisis safety net: checked on every message, before and apart from anything else.

Two parts:
- the classifier learned from knowledge/crisis_bank (model.py), over the vectors the search
  computes for the message anyway (remembered by the searcher, so the message is encoded once);
- the regular expressions of knowledge/crisis.yaml, a high-precision extra (a match the classifier
  does not contradict is clear; against it, possible).
Reading each sentence of a longer message on its own as well was tried and lost in grouped
cross-validation: at recall 0.99 it raised the false alarms on look-alikes from 0.27 to 0.36, and it
costs an encoding per sentence (docs/crisis.md).

The answer has three tiers, chosen for recall, since a missed crisis is far worse than a gentle
check-in line: *clear* (the lines first), *possible* (one short line with the number before the
answer) and *none*.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from wegwijzer.chat import Reply
from wegwijzer.dialogue.crisis.model import CrisisModel
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import NO_CRISIS, CrisisSignal
from wegwijzer.knowledge.text import fold

CLEAR, POSSIBLE, NONE = "clear", "possible", "none"

# Encodes texts with every encoder: name -> (len(texts), dim). The searcher's, so a message is
# encoded once for the crisis check and the search together.
Encode = Callable[[Sequence[str]], Mapping[str, np.ndarray]]


@dataclass(frozen=True)
class CrisisThresholds:
    """On P(crisis) = 1 - P(none); chosen by grouped cross-validation over the bank (`wegwijzer eval
    crisis`, docs/crisis.md), never on a held-out set, on a grid of 0.005. Possible: the highest
    threshold that keeps cross-validated recall at 0.99 (a missed crisis is far worse than a check-in
    line). Clear: the lowest threshold (so the most crises get the lines first) whose cross-validated
    clear-tier false alarms on look-alikes stay within the issue's 0.03."""

    clear: float = 0.91
    possible: float = 0.425
    second_signal: float = 0.5  # another signal this share of the first's probability is named too


@dataclass(frozen=True)
class CrisisFinding:
    tier: str  # CLEAR, POSSIBLE or NONE
    signals: tuple[CrisisSignal, ...] = ()  # most likely first; empty for NONE
    probability: float = 0.0  # P(crisis); 1.0 for a pattern match where no classifier runs

    @property
    def clear(self) -> bool:
        return self.tier == CLEAR

    def __bool__(self) -> bool:
        return self.tier != NONE

    @property
    def lines(self) -> set[str]:
        return {line for signal in self.signals for line in signal.lines}


NO_FINDING = CrisisFinding(NONE)


@dataclass
class CrisisDetector:
    knowledge: KnowledgeBase
    model: CrisisModel | None = None  # without it (no index, Rasa's fallback) only the patterns run
    encode: Encode | None = None
    thresholds: CrisisThresholds = field(default_factory=CrisisThresholds)

    def __post_init__(self) -> None:
        self.phrasebook = Phrasebook(self.knowledge)
        self._signals = {s.id: s for s in self.knowledge.crisis}
        self._lines = {line for signal in self.knowledge.crisis for line in signal.lines}
        # All languages' patterns on every message: someone in distress may write in another
        # language than the page is set to.
        self._patterns = [
            (signal, re.compile(fold(pattern)))
            for signal in self.knowledge.crisis
            for patterns in signal.patterns.values()
            for pattern in patterns
        ]

    # ---- detection -----------------------------------------------------------------------

    def check(self, text: str) -> CrisisFinding:
        """The finding for one message: tier, signals, how sure."""
        by_pattern = self.pattern_finding(text)
        if self.model is None or self.encode is None or not text.strip():
            return by_pattern
        return self.decide(by_pattern, self.judge(self.probabilities([text])[0]))

    @staticmethod
    def decide(by_pattern: CrisisFinding, learned: CrisisFinding) -> CrisisFinding:
        """The patterns are a high-precision extra: with the classifier's agreement (at least the
        possible tier) a match is clear; against it, possible. A policy question that names
        "huiselijk geweld" or "suïcidepreventie" then gets no alarm (grouped CV: clear-tier false
        alarms 0.074 -> 0.056 at the same recall)."""
        if not by_pattern:
            return learned
        tier = CLEAR if learned else POSSIBLE
        return replace(by_pattern, tier=tier, probability=learned.probability)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, classes), in one encoding call."""
        assert self.model is not None and self.encode is not None
        return self.model.probabilities(self.model.features(self.encode(list(texts))))

    def judge(self, row: np.ndarray) -> CrisisFinding:
        """The tier and signals from one message's class probabilities."""
        assert self.model is not None
        none = self.model.classes.index(NO_CRISIS)
        p = 1.0 - float(row[none])
        t = self.thresholds
        tier = CLEAR if p >= t.clear else POSSIBLE if p >= t.possible else NONE
        if tier == NONE:
            return CrisisFinding(NONE, (), p)
        ranked = sorted(
            ((float(row[i]), c) for i, c in enumerate(self.model.classes) if i != none and c in self._signals),
            reverse=True,
        )
        first = ranked[0][0]
        signals = tuple(self._signals[c] for q, c in ranked[:2] if q >= t.second_signal * first)
        return CrisisFinding(tier, signals, p)

    def pattern_finding(self, text: str) -> CrisisFinding:
        """CLEAR with every signal whose pattern matches, in the order of crisis.yaml; else NO_FINDING."""
        folded = " ".join(fold(text).replace("’", "'").split())
        matched = {signal.id for signal, pattern in self._patterns if pattern.search(folded)}
        signals = tuple(signal for signal in self.knowledge.crisis if signal.id in matched)
        return CrisisFinding(CLEAR, signals, 1.0) if signals else NO_FINDING

    # ---- the lines as places ---------------------------------------------------------------

    def may_name(self, service_id: str, role: str | None, topic: str | None, finding: CrisisFinding) -> bool:
        """May this place be named or listed? A national line only when the message clearly carries
        its signal (`finding`), or for the askers and topics crisis.yaml's lines_as_places gives it:
        112, 113 and Veilig Thuis never win a ranking for an everyday question."""
        if service_id not in self._lines or (finding.clear and service_id in finding.lines):
            return True
        rule = self.knowledge.lines_as_places.get(service_id)
        return rule is not None and role in rule.roles and topic in rule.topics

    # ---- what to say ---------------------------------------------------------------------

    def replies(self, finding: CrisisFinding, lang: str | None) -> list[Reply]:
        """Clear: each signal's text once, then that it is a chatbot. Possible: the first signal's one
        short line, to send before the answer. None: nothing."""
        if finding.tier == NONE or not finding.signals:
            return []
        if finding.tier == POSSIBLE:
            said = self.phrasebook.phrase(finding.signals[0].check, lang)
            return [Reply(said.text, simple=said.simple)]
        keys = [*dict.fromkeys(signal.text for signal in finding.signals), "crisis_more"]
        phrases = [self.phrasebook.phrase(key, lang) for key in keys]
        text = " ".join(p.text for p in phrases)
        simple = " ".join(p.simple or p.text for p in phrases)
        return [Reply(text, simple=simple if simple != text else None)]
