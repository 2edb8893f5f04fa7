"""Talk to the running assistant through Rasa's REST channel, as a website or test would."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from wegwijzer.chat import ChatAnswer, answer_from_rasa
from wegwijzer.settings import load_settings


class AssistantUnreachable(RuntimeError):
    pass


def send(
    message: str, sender: str, metadata: dict[str, str], url: str | None = None, timeout: float = 60
) -> ChatAnswer:
    """One turn (to WEGWIJZER_RASA_URL's REST channel unless ``url``); the answer is empty (no replies)
    when the assistant said nothing."""
    url = url or load_settings().rest_url
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            messages = json.loads(response.read() or b"[]")
    except (urllib.error.URLError, OSError) as error:
        raise AssistantUnreachable(
            f"De assistent is niet bereikbaar op {url} ({error}). Start hem met 'make run' of 'wegwijzer run'."
        ) from error
    return answer_from_rasa(sender, messages, metadata.get("gemeente")) or ChatAnswer(session_id=sender)
