"""Talk to the running assistant through Rasa's REST channel, as the API does: with the internal token, and
the session under its keyed hash (wegwijzer.privacy.keys)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from wegwijzer.chat import ChatAnswer, answer_from_rasa
from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token, rasa_sender, session_key
from wegwijzer.settings import load_settings


class AssistantUnreachable(RuntimeError):
    pass


def send(
    message: str, sender: str, metadata: dict[str, str], url: str | None = None, timeout: float = 60
) -> ChatAnswer:
    """One turn of the conversation `sender` (any session name: Rasa gets its keyed hash); the answer is empty
    (no replies) when the assistant said nothing."""
    settings = load_settings()
    url = url or settings.rest_url
    key = session_key(settings.session_key, settings.var)
    payload = {"sender": rasa_sender(sender, key), "message": message, "metadata": metadata}
    headers = {"Content-Type": "application/json", TOKEN_HEADER: internal_token(settings.internal_token, settings.var)}
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            messages = json.loads(response.read() or b"[]")
    except (urllib.error.URLError, OSError) as error:
        raise AssistantUnreachable(
            f"De assistent is niet bereikbaar op {url} ({error}). Start hem met 'make run' of 'wegwijzer run'."
        ) from error
    return answer_from_rasa(sender, messages, metadata.get("gemeente")) or ChatAnswer(session_id=sender)
