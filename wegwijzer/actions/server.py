"""The action server: Rasa posts every turn to /webhook; the assistant answers with texts and slots.

It implements Rasa's action-server protocol itself (instead of rasa-sdk), so the actions run in
the Python 3.11 environment, in the same process as the index: no second hop per turn.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from wegwijzer.actions.recording import record
from wegwijzer.actions.tracker import slot_events, state_from_tracker, turn_from_tracker
from wegwijzer.dialogue.assistant import Assistant
from wegwijzer.dialogue.outcome import Outcome, outcome_json
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.knowledge import load_knowledge
from wegwijzer.records.store import RecordStore
from wegwijzer.search_loader import process_loader
from wegwijzer.settings import load_settings

ACTION_NAME = "action_wegwijzer"
log = logging.getLogger("wegwijzer.actions")


def callback_form_url() -> str | None:
    base = load_settings().public_url.rstrip("/")
    return f"{base}/terugbellen?gemeente={{gemeente}}&lang={{lang}}"


def open_records() -> RecordStore | None:
    """The records store (purging what is past the retention); None, logged, when it cannot open."""
    try:
        return RecordStore.from_settings()
    except Exception as error:
        log.error("gespreksverslagen niet beschikbaar: %s", error)
        return None


class AssistantHolder:
    """Loads the knowledge base at once and the search in the background (the process's one load);
    answers honestly meanwhile."""

    def __init__(self, load_index: bool = True) -> None:
        self.knowledge = load_knowledge()
        self.assistant = Assistant(self.knowledge, None, callback_form_url())
        self.index_error: str | None = None
        self.records = open_records()
        self.ready = threading.Event()
        if load_index:
            threading.Thread(target=self._load_index, daemon=True).start()
        else:
            self.index_error = "index niet geladen"
            self.ready.set()

    def _load_index(self) -> None:
        try:
            search = process_loader().wait()
            self.assistant = Assistant(self.knowledge, search.searcher, callback_form_url(), crisis=search.detector)
        except Exception as error:  # reported in /health and answered with the general contact
            self.index_error = str(error)
            log.error("zoekindex niet geladen: %s", error)
        finally:
            self.ready.set()


def _responses(outcome: Outcome) -> list[dict[str, Any]]:
    data = outcome_json(outcome)
    responses: list[dict[str, Any]] = [{"text": r["text"], "buttons": r["buttons"]} for r in data["replies"]]
    responses.append({"custom": {"wegwijzer": {"sources": data["sources"], "crisis": data["crisis"]}}})
    return responses


def create_app(load_index: bool = True) -> FastAPI:
    app = FastAPI(title="Wegwijzer action server", docs_url=None, redoc_url=None)
    holder = AssistantHolder(load_index=load_index)
    app.state.holder = holder

    @app.get("/health")
    def health() -> JSONResponse:
        if not holder.ready.is_set():
            return JSONResponse({"status": "starting", "index": "laden"}, status_code=503)
        records = "ok" if holder.records is not None else "niet beschikbaar"
        if holder.index_error:
            return JSONResponse({"status": "degraded", "index": holder.index_error, "records": records})
        return JSONResponse({"status": "ok" if holder.records else "degraded", "index": "ok", "records": records})

    @app.post("/webhook")
    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        action = body.get("next_action")
        if action != ACTION_NAME:
            return JSONResponse({"error": f"onbekende actie '{action}'", "action_name": action}, status_code=404)
        tracker = body.get("tracker") or {}
        domain_slots = set((body.get("domain") or {}).get("slots") or {}) or None
        turn, state = turn_from_tracker(tracker), state_from_tracker(tracker)
        before = state.to_slots()
        await run_in_threadpool(holder.ready.wait, 60)
        outcome = await run_in_threadpool(_respond, holder.assistant, turn, state)
        await run_in_threadpool(record, holder.records, tracker, turn, state, outcome)
        events = slot_events(before, state.to_slots(), domain_slots)
        return JSONResponse({"events": events, "responses": _responses(outcome)})

    return app


def _respond(assistant: Assistant, turn: Turn, state: State) -> Outcome:
    try:
        return assistant.respond(turn, state)
    except Exception:  # never leave the resident without an answer
        log.exception("fout bij het beantwoorden van een bericht")
        fallback = Assistant(assistant.knowledge, None, assistant.callback_form_url)
        return fallback.respond(turn, state)
