"""Read what the assistant needs from the tracker JSON that Rasa posts to the action server."""

from __future__ import annotations

from typing import Any

from wegwijzer.dialogue.state import State, Turn


def _metadata(tracker: dict[str, Any]) -> dict[str, Any]:
    latest = tracker.get("latest_message") or {}
    if isinstance(latest.get("metadata"), dict) and latest["metadata"]:
        return latest["metadata"]
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def turn_from_tracker(tracker: dict[str, Any]) -> Turn:
    latest = tracker.get("latest_message") or {}
    intent = latest.get("intent") or {}
    entities: dict[str, list[str]] = {}
    for entity in latest.get("entities") or []:
        if entity.get("entity") and entity.get("value") is not None:
            entities.setdefault(entity["entity"], []).append(str(entity["value"]))
    return Turn(
        text=str(latest.get("text") or ""),
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities,
        metadata=_metadata(tracker),
    )


def state_from_tracker(tracker: dict[str, Any]) -> State:
    return State.from_slots(tracker.get("slots") or {})


def slot_events(before: dict[str, Any], after: dict[str, Any], known_slots: set[str] | None) -> list[dict[str, Any]]:
    """A SlotSet event for every slot the turn changed (and that the domain declares)."""
    return [
        {"event": "slot", "timestamp": None, "name": name, "value": value}
        for name, value in after.items()
        if before.get(name) != value and (known_slots is None or name in known_slots)
    ]
