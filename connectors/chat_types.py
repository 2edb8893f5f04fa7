"""What a channel sends to the assistant and gets back: the contract between connectors and Rasa."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from wegwijzer.dialogue.messages import Button, Reply, Source

Role = Literal["inwoner", "professional", "balie"]
ROLES: tuple[str, ...] = ("inwoner", "professional", "balie")
__all__ = ["ROLES", "Button", "ChatAnswer", "ChatRequest", "Reply", "Role", "Source"]


@dataclass(frozen=True)
class ChatRequest:
    session_id: str
    message: str
    gemeente: str | None = None
    role: Role = "inwoner"
    lang: str | None = None

    def metadata(self) -> dict[str, str]:
        data = {"role": self.role}
        if self.gemeente:
            data["gemeente"] = self.gemeente
        if self.lang:
            data["lang"] = self.lang
        return data


@dataclass
class ChatAnswer:
    session_id: str
    replies: list[Reply] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    degraded: bool = False  # True when Rasa or the action server could not be reached
    crisis: bool = False

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies if r.text)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
