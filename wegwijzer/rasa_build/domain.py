"""Generated domain part (one intent per help topic) and the rules: every intent -> action_wegwijzer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wegwijzer.knowledge.model import KnowledgeBase
from wegwijzer.rasa_build.layout import ACTION
from wegwijzer.rasa_build.nlu import topic_intent


def topic_intents(kb: KnowledgeBase) -> list[str]:
    return [topic_intent(topic_id) for topic_id in sorted(kb.topics)]


def domain_data(kb: KnowledgeBase) -> dict[str, Any]:
    return {"intents": topic_intents(kb)}


def rules_data(intents: Iterable[str]) -> dict[str, Any]:
    """One rule per intent. The crisis check runs in the action, so every message must reach it."""
    return {
        "rules": [
            {"rule": f"{intent} -> {ACTION}", "steps": [{"intent": intent}, {"action": ACTION}]}
            for intent in sorted(set(intents))
        ]
    }
