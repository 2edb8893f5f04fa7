"""The action server: Rasa posts every turn to /webhook; the assistant answers with texts and slots.

It implements Rasa's action-server protocol itself (instead of rasa-sdk), so the actions run in
the Python 3.11 environment, in the same process as the index: no second hop per turn.

Only Rasa may call it: every call to /webhook carries the internal token (wegwijzer.privacy.keys; Rasa's
endpoints file sends it as a header), else 401 and nothing is answered or recorded. A body that is not a
tracker gets 400 with a sentence that names what is wrong, never a value from it. Every log record of the
process is redacted.
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
from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token, token_ok
from wegwijzer.privacy.logs import install_log_redaction
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
    # The simpler versions travel with the turn's other facts, one per reply in order: Rasa's REST channel
    # passes a custom message on as it is, and no Rasa intent or retraining is needed for them.
    simple = [r["simple"] for r in data["replies"]]
    facts = {"sources": data["sources"], "crisis": data["crisis"], "lang": data["lang"], "simple": simple}
    responses.append({"custom": {"wegwijzer": facts}})
    return responses


class BadTracker(ValueError):
    """The body is not what Rasa sends; the message names the part, never its content."""


def _dict(value: Any, name: str, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise BadTracker(f"'{name}' moet een object zijn")
    return value


def checked_call(body: Any) -> tuple[str | None, dict[str, Any], set[str] | None]:
    """The action name, the tracker and the domain's slots of a call, checked for the shapes the action reads."""
    call = _dict(body, "body", required=True)
    action = call.get("next_action")
    if action is not None and not isinstance(action, str):
        raise BadTracker("'next_action' moet tekst zijn")
    tracker = _dict(call.get("tracker"), "tracker")
    latest = _dict(tracker.get("latest_message"), "tracker.latest_message")
    _dict(latest.get("intent"), "tracker.latest_message.intent")
    _dict(latest.get("metadata"), "tracker.latest_message.metadata")
    _dict(tracker.get("slots"), "tracker.slots")
    for name in ("entities",):
        if not isinstance(latest.get(name) or [], list) or not all(isinstance(e, dict) for e in latest.get(name) or []):
            raise BadTracker(f"'tracker.latest_message.{name}' moet een lijst van objecten zijn")
    events = tracker.get("events") or []
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise BadTracker("'tracker.events' moet een lijst van objecten zijn")
    if not isinstance(latest.get("text") or "", str) or not isinstance(tracker.get("sender_id") or "", str):
        raise BadTracker("'text' en 'sender_id' moeten tekst zijn")
    confidence = _dict(latest.get("intent"), "intent").get("confidence")
    if confidence is not None and not isinstance(confidence, int | float):
        raise BadTracker("'tracker.latest_message.intent.confidence' moet een getal zijn")
    domain = _dict(call.get("domain"), "domain")
    slots = domain.get("slots")
    if slots is not None and not isinstance(slots, dict | list):
        raise BadTracker("'domain.slots' moet een object zijn")
    return action, tracker, set(slots or ()) or None


def create_app(load_index: bool = True) -> FastAPI:
    install_log_redaction()
    app = FastAPI(title="Wegwijzer action server", docs_url=None, redoc_url=None)
    holder = AssistantHolder(load_index=load_index)
    app.state.holder = holder
    settings = load_settings()
    token = internal_token(settings.internal_token, settings.var)

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
        if not token_ok(request.headers.get(TOKEN_HEADER), token):
            return JSONResponse({"error": "alleen Rasa mag de actieserver aanroepen"}, status_code=401)
        try:
            action, tracker, domain_slots = checked_call(await request.json())
        except (BadTracker, ValueError, RecursionError) as error:  # ValueError: no JSON at all
            reason = str(error) if isinstance(error, BadTracker) else "geen geldige JSON"
            log.warning("actieserver: onbruikbare aanroep (%s)", reason)
            return JSONResponse({"error": f"geen bruikbare tracker: {reason}"}, status_code=400)
        if action != ACTION_NAME:
            return JSONResponse({"error": "onbekende actie", "action_name": action}, status_code=404)
        try:
            turn, state = turn_from_tracker(tracker), state_from_tracker(tracker)
            before = state.to_slots()
        except (TypeError, ValueError, AttributeError) as error:  # a slot or value of the wrong kind
            log.warning("actieserver: onbruikbare tracker (%s)", type(error).__name__)
            return JSONResponse({"error": "geen bruikbare tracker: een slot of waarde van de verkeerde soort"}, 400)
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
