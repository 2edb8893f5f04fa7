"""What one turn gives back: the replies, the sources they rest on, whether it was a crisis, and
what kind of turn it was (for the content team's records)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from wegwijzer.chat import Button, Reply, Source
from wegwijzer.dialogue.phrasebook import Phrase


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    crisis: bool = False
    # what kind of turn this was, for the content team's records: answered, clarified, not_sure,
    # out_of_scope, handoff, smalltalk, followup, feedback, ask_gemeente, fallback, invalid
    kind: str = "answered"
    places: list[str] = field(default_factory=list)
    lang: str = "nl"  # the language the replies are in, so a page can mark them (lang, dir)

    def add(self, text: str | Phrase, buttons: tuple[Button, ...] = ()) -> None:
        """A reply; a Phrase brings its simpler version along."""
        said = text if isinstance(text, Phrase) else Phrase(text)
        if said.text:
            self.replies.append(Reply(said.text, buttons, said.simple))


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "replies": [
            {"text": r.text, "buttons": [b.__dict__ for b in r.buttons], "simple": r.simple} for r in outcome.replies
        ],
        "sources": [s.__dict__ for s in outcome.sources],
        "crisis": outcome.crisis,
        "lang": outcome.lang,
    }
