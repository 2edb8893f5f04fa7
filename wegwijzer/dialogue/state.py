"""What one turn brings in (message, NLU, channel metadata) and what the conversation remembers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from wegwijzer.knowledge.model import ROLES


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: dict[str, list[str]] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def entity(self, name: str) -> str | None:
        values = self.entities.get(name) or []
        return values[0] if values else None


@dataclass
class State:
    """The slots of the Rasa tracker, as the assistant reads and sets them."""

    gemeente: str | None = None
    role: str = "inwoner"
    lang: str | None = None
    last_topic: str | None = None
    last_places: list[str] = field(default_factory=list)
    last_question: str | None = None
    pending_question: str | None = None
    asked_gemeente: bool = False
    feedback: str | None = None
    offered_callback: bool = False
    privacy_noted: bool = False

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> State:
        known = {name for name in cls.__dataclass_fields__}
        values = {k: v for k, v in slots.items() if k in known and v is not None}
        state = cls(**values)
        if state.role not in ROLES:
            state.role = "inwoner"
        state.last_places = list(state.last_places or [])
        return state

    def to_slots(self) -> dict[str, Any]:
        return asdict(self)
