"""Talk to the running assistant through Rasa's REST channel, as a website or test would."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

DEFAULT_REST_URL = "http://127.0.0.1:5005/webhooks/rest/webhook"


class AssistantUnreachable(RuntimeError):
    pass


@dataclass
class BotTurn:
    texts: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    crisis: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def send(
    message: str, sender: str, metadata: dict[str, str], url: str = DEFAULT_REST_URL, timeout: float = 60
) -> BotTurn:
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            messages = json.loads(response.read() or b"[]")
    except (urllib.error.URLError, OSError) as error:
        raise AssistantUnreachable(
            f"De assistent is niet bereikbaar op {url} ({error}). Start hem met 'make run' of 'wegwijzer run'."
        ) from error
    turn = BotTurn()
    for item in messages:
        if item.get("text"):
            turn.texts.append(item["text"])
        turn.buttons += item.get("buttons") or []
        custom = (item.get("custom") or {}).get("wegwijzer")
        if custom:
            turn.sources += custom.get("sources") or []
            turn.crisis = turn.crisis or bool(custom.get("crisis"))
    return turn
