"""Who is asking, where and in which language: from the channel's metadata and from the message
("ik woon in Leiderdorp", a whole sentence in English). And what the dialogue says about the
conversation's gemeente: its name, its general contact, the buttons to choose one."""

from __future__ import annotations

import re

from index.lexical import content_words
from wegwijzer.chat import Button
from wegwijzer.dialogue.language import detect_language
from wegwijzer.dialogue.outcome import payload
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import ROLES
from wegwijzer.knowledge.text import fold

LANGUAGE_SWITCH_WORDS = 4  # a message this long in another language switches the conversation to it
OWN_QUESTION_WORDS = 2  # words besides "I live in X" that make a message a question of its own
_LIVES_IN = re.compile(r"\b(woon|wonen|woont|live|living)\b")


class Context:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._gemeente_names = sorted(
            ((fold(name), g.id) for g in knowledge.gemeenten.values() for name in (g.id, g.name, *g.aliases)),
            key=lambda pair: -len(pair[0]),
        )

    def gemeente_in(self, text: str) -> str | None:
        folded = fold(text)
        for name, gemeente in self._gemeente_names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
                return gemeente
        return None

    def apply(self, turn: Turn, state: State) -> tuple[str | None, bool]:
        """Apply metadata and the message to the state; returns (a gemeente the user named, unknown?)."""
        meta = turn.metadata or {}
        if meta.get("role") in ROLES:
            state.role = meta["role"]
        detected = None if turn.text.startswith("/") else detect_language(turn.text, self.knowledge)
        if meta.get("lang") in self.knowledge.texts:
            state.lang = meta["lang"]
        # Someone who writes a whole sentence in another language gets answers in that language.
        if detected and (not state.lang or len(turn.text.split()) >= LANGUAGE_SWITCH_WORDS):
            state.lang = detected
        if meta.get("gemeente") in self.knowledge.gemeenten and not state.gemeente:
            state.gemeente = meta["gemeente"]
        named = turn.entity("gemeente")
        chosen = None
        if named:
            chosen = self.gemeente_in(named) or self._gemeente_by_prefix(named)
            if chosen is None:
                # Only a request to switch to a gemeente we do not know gets that answer; a name in
                # another question ("de Haarlemse aanpak") is no request.
                return None, turn.intent == "change_gemeente"
        elif turn.intent == "change_gemeente" or self._says_lives_in(turn):
            chosen = self.gemeente_in(turn.text)
        if chosen:
            state.gemeente = chosen
        return chosen, False

    def _gemeente_by_prefix(self, named: str) -> str | None:
        """'Heerhugowaardse' or 'Purmerendse' name their gemeente too."""
        folded = fold(named).strip()
        if folded in self.knowledge.gemeenten:
            return folded
        return next((g for name, g in self._gemeente_names if len(name) >= 5 and folded.startswith(name)), None)

    def only_says_where(self, text: str, state: State) -> bool:
        """ "Ik woon trouwens in Leiderdorp" after a question: a new gemeente and nothing else to ask,
        so the last question is answered again for that gemeente."""
        if not state.last_question or not _LIVES_IN.search(fold(text)):
            return False
        rest = fold(text)
        for name, _ in self._gemeente_names:
            rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
        return len(content_words(_LIVES_IN.sub(" ", rest))) < OWN_QUESTION_WORDS

    @staticmethod
    def _says_lives_in(turn: Turn) -> bool:
        return bool(_LIVES_IN.search(fold(turn.text)))


class GemeenteFacts:
    """The conversation's gemeente as the dialogue names it: its name, its contact, the choice."""

    def __init__(self, knowledge: KnowledgeBase, phrasebook: Phrasebook) -> None:
        self.knowledge, self.phrasebook = knowledge, phrasebook

    def contact(self, state: State) -> str:
        return self.phrasebook.gemeente_contact(self.knowledge.gemeenten.get(state.gemeente or ""), state.lang)

    def name(self, state: State) -> str:
        gemeente = self.knowledge.gemeenten.get(state.gemeente or "")
        return gemeente.name if gemeente else ""

    def buttons(self) -> tuple[Button, ...]:
        return tuple(
            Button(g.name, payload("change_gemeente", gemeente=g.id)) for g in self.knowledge.gemeenten.values()
        )
