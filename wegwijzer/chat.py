"""The contract every channel speaks (web chat, widget, Telegram, the evaluation): a request, the
answer with its replies, buttons and sources, and how Rasa's REST channel output reads as an answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from wegwijzer.knowledge.model import ROLES, Role

__all__ = ["ROLES", "Button", "ChatAnswer", "ChatRequest", "Reply", "Role", "Source", "answer_from_rasa"]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # a Rasa payload such as '/choose{"place":"purmerend-schulddienstverlening"}'
    # A page to open instead of a message to send (the callback form). A channel that cannot show a link sends
    # the payload, when there is one.
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    # The same reply said simpler (A2, from knowledge: "Zeg het simpeler"); None when there is no simpler one.
    simple: str | None = None


@dataclass(frozen=True)
class Source:
    document: str  # document title
    section: str  # section path, "A > B"
    gemeente: str
    year: int | None = None
    passage: str | None = None  # the policy passage itself (professionals and front desk)


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
    lang: str | None = None  # the language of the replies, when the assistant said which

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies if r.text)

    @property
    def buttons(self) -> list[Button]:
        return [button for reply in self.replies for button in reply.buttons]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _source(data: dict[str, Any], gemeente: str | None) -> Source | None:
    document = str(data.get("document") or "").strip()
    if not document:
        return None
    year = data.get("year")
    return Source(
        document=document,
        section=str(data.get("section") or ""),
        gemeente=str(data.get("gemeente") or gemeente or ""),
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
        passage=data.get("passage") or None,
    )


def _link(value: Any) -> str | None:
    """A button's page: only a web address (a javascript: or data: address from anywhere would run in the page)."""
    if not isinstance(value, str):
        return None
    local = value.startswith("/") and not value.startswith("//")
    return value if value.startswith(("https://", "http://")) or local else None


def _add_simple(replies: list[Reply], start: int, simple: Any) -> None:
    """The simpler version of each reply of the turn (one per reply, in order); left out when the count
    does not match, so a simpler text never lands on another reply."""
    if not isinstance(simple, list) or len(simple) != len(replies) - start:
        return
    for i, text in enumerate(simple, start):
        if isinstance(text, str) and text.strip():
            replies[i] = replace(replies[i], simple=text)


def answer_from_rasa(session_id: str, messages: Any, gemeente: str | None = None) -> ChatAnswer | None:
    """Map the REST channel's list of bot messages to a ChatAnswer; None when there is nothing to show."""
    if not isinstance(messages, list):
        return None
    answer = ChatAnswer(session_id=session_id)
    turn_start = 0  # the first reply of the action's turn, which its custom message describes
    for message in messages:
        if not isinstance(message, dict):
            continue
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")), url=_link(b.get("url")))
            for b in message.get("buttons") or ()
            if isinstance(b, dict) and b.get("title")
        )
        text = message.get("text")
        if (isinstance(text, str) and text.strip()) or buttons:
            answer.replies.append(Reply(text=text if isinstance(text, str) else "", buttons=buttons))
        custom = message.get("custom")
        wegwijzer = custom.get("wegwijzer") if isinstance(custom, dict) else None
        if isinstance(wegwijzer, dict):
            for item in wegwijzer.get("sources") or ():
                source = _source(item, gemeente) if isinstance(item, dict) else None
                if source and source not in answer.sources:
                    answer.sources.append(source)
            answer.crisis = answer.crisis or bool(wegwijzer.get("crisis"))
            answer.degraded = answer.degraded or bool(wegwijzer.get("degraded"))
            if isinstance(wegwijzer.get("lang"), str):
                answer.lang = wegwijzer["lang"]
            _add_simple(answer.replies, turn_start, wegwijzer.get("simple"))
            turn_start = len(answer.replies)
    return answer if answer.replies else None
