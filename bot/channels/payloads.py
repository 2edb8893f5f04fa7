"""Which '/intent{...}' messages are button payloads the bot offered, and what a resident's other '/' text becomes.

Rasa reads a message that starts with '/' as an intent with entities, skipping the NLU; and when the
intent or the entities are unknown it writes the whole text into its log through a warning. A resident
could type such a message, so only the shapes our buttons send pass as payloads
(wegwijzer.dialogue.outcome.payload): a known intent, and for `choose` / `change_gemeente` one entity whose
value is a place or gemeente id from knowledge/. Any other text that starts with '/' loses its leading
slashes and is read as words, like every other message.

Standard library and PyYAML only (Rasa's environment).
"""

import json
import os
import re
from pathlib import Path
from typing import Dict, FrozenSet, Optional

_REPO = Path(__file__).resolve().parents[2]
_PAYLOAD = re.compile(r"/([a-z_]+)(\{.*\})?", re.DOTALL)
_SLUG = re.compile(r"[a-z][a-z0-9-]{0,79}")

# What the assistant's buttons send, and the entity each may carry (wegwijzer/dialogue: assistant.py, context.py, help.py).
BUTTON_INTENTS: Dict[str, Optional[str]] = {
    "affirm": None,
    "deny": None,
    "feedback_helped": None,
    "feedback_not_helped": None,
    "restart_chat": None,
    "choose": "place",
    "change_gemeente": "gemeente",
}


def _knowledge_dir() -> Path:
    return Path(os.environ.get("WEGWIJZER_KNOWLEDGE", _REPO / "knowledge"))


def known_ids(folder: Optional[Path] = None) -> Optional[FrozenSet[str]]:
    """The gemeente and place ids in knowledge/, or None when the folder is not there (then ids are checked by
    shape: lower-case letters, digits and hyphens, never personal data since every message is redacted too)."""
    import yaml

    root = folder or _knowledge_dir()
    if not (root / "gemeenten").is_dir():
        return None
    ids = set()
    for path in sorted((root / "gemeenten").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids.add(str(data.get("id") or path.stem))
    for path in sorted((root / "services").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids.update(str(service.get("id")) for service in data.get("services") or () if service.get("id"))
    return frozenset(ids)


class Payloads:
    def __init__(self, ids: Optional[FrozenSet[str]] = None) -> None:
        self.ids = ids

    @classmethod
    def from_knowledge(cls) -> "Payloads":
        return cls(known_ids())

    def offered(self, text: str) -> bool:
        """True for exactly what a button of ours sends."""
        match = _PAYLOAD.fullmatch(text.strip())
        if match is None or match.group(1) not in BUTTON_INTENTS:
            return False
        entity = BUTTON_INTENTS[match.group(1)]
        if match.group(2) is None:
            return entity is None
        if entity is None:
            return False
        try:
            values = json.loads(match.group(2))
        except ValueError:
            return False
        if not isinstance(values, dict) or set(values) != {entity} or not isinstance(values[entity], str):
            return False
        value = values[entity]
        return value in self.ids if self.ids is not None else bool(_SLUG.fullmatch(value))

    def as_words(self, text: str) -> str:
        """A payload we offered as it is; any other text without its leading '/' (Rasa reads it as words)."""
        if not text.lstrip().startswith("/") or self.offered(text):
            return text
        return text.lstrip().lstrip("/").lstrip()
