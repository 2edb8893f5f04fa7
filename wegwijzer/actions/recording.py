"""Each turn into the conversation records for the content team (redacted by the store itself)."""

from __future__ import annotations

import logging
from typing import Any

from wegwijzer.dialogue.outcome import Outcome
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.records.model import TurnRecord
from wegwijzer.records.store import RecordStore

log = logging.getLogger("wegwijzer.actions")

# The assistant's kinds of turn, as the records count them; feedback is stored on its own.
OUTCOME_OF_KIND = {"followup": "answered", "ask_gemeente": "clarified"}
NOT_RECORDED = {"feedback", "invalid"}


def channel_of(tracker: dict[str, Any], turn: Turn) -> str:
    return str(turn.metadata.get("channel") or tracker.get("latest_input_channel") or "rest")


def record(store: RecordStore | None, tracker: dict[str, Any], turn: Turn, state: State, outcome: Outcome) -> None:
    """Never lets a records problem reach the resident: it is logged (without the message) and skipped."""
    if store is None:
        return
    sender = str(tracker.get("sender_id") or "")
    try:
        if outcome.kind == "feedback":
            store.record_feedback(sender, helped=state.feedback == "helped")
        elif outcome.kind not in NOT_RECORDED:
            kind = "crisis" if outcome.crisis else OUTCOME_OF_KIND.get(outcome.kind, outcome.kind)
            store.record_turn(
                TurnRecord(
                    conversation=sender,
                    question=turn.text,
                    outcome=kind,
                    gemeente=state.gemeente or "",
                    lang=state.lang or "",
                    role=state.role,
                    channel=channel_of(tracker, turn),
                    places=tuple(outcome.places),
                    crisis=outcome.crisis,
                )
            )
    except Exception as error:  # the answer matters more than its record
        log.error("gesprek niet vastgelegd: %s", type(error).__name__)
