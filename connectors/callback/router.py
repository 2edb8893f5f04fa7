"""GET/POST /terugbellen: a server-rendered form (works without JavaScript) and what happens next.

A request goes to the webhook and/or e-mail when those are set; when none is set, or none accepted it, it goes into
the callback queue of the records database, which staff work through in /beheer. Only when that fails too is the
resident told that sending did not work (with the gemeente's own contact), so a request is never lost silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import SQLAlchemyError

from connectors.callback.delivery import CallbackSettings, deliver
from connectors.callback.form import BEST_TIMES, MAX_SUMMARY, CallbackRequest, check_form
from wegwijzer.dialogue.phrasebook import Phrasebook
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.records import RecordStore
from wegwijzer.settings import SettingsError

log = logging.getLogger("wegwijzer.callback")
RTL = {"ar"}


def queue(store: Callable[[], RecordStore] | None, request: CallbackRequest) -> bool:
    """Into the queue; False (logged without content) when the records database cannot take it."""
    if store is None:
        return False
    try:
        store().queue_callback(request.gemeente, request.personal_fields())
        return True
    except (SQLAlchemyError, SettingsError, OSError, ValueError) as error:
        log.warning("terugbelverzoek: niet in de wachtrij gezet (%s)", type(error).__name__)
        return False


def callback_router(
    knowledge: Callable[[Request], KnowledgeBase],
    settings: CallbackSettings | None = None,
    store: Callable[[], RecordStore] | None = None,
) -> APIRouter:
    router = APIRouter()
    config = settings or CallbackSettings.from_settings()

    def render(request: Request, status: int = 200, **context: object) -> HTMLResponse:
        kb = knowledge(request)
        values = context.get("values") or {}
        gemeente = kb.gemeenten.get(str(values.get("gemeente", "")))  # type: ignore[union-attr]
        phrasebook = Phrasebook(kb)
        lang = phrasebook.language(str(values.get("lang", "nl")))  # type: ignore[union-attr]
        texts = {
            "lang": lang,
            "dir": "rtl" if lang in RTL else "ltr",
            "say": lambda key, **filled: phrasebook.say(key, lang, **filled),
            "contact": phrasebook.gemeente_contact(gemeente, lang),
        }
        return request.app.state.templates.TemplateResponse(
            request,
            "terugbellen.html",
            {
                "gemeenten": list(kb.gemeenten.values()),
                "best_times": BEST_TIMES,
                "max_summary": MAX_SUMMARY,
                "gemeente": gemeente,
                "problems": {},
                "values": {},
                **texts,
                **context,
            },
            status_code=status,
        )

    @router.get("/terugbellen", response_class=HTMLResponse, include_in_schema=False)
    async def form(request: Request, gemeente: str = "", lang: str = "nl") -> HTMLResponse:
        return render(request, values={"gemeente": gemeente, "lang": lang})

    @router.post("/terugbellen", response_class=HTMLResponse, include_in_schema=False)
    async def submit(request: Request) -> HTMLResponse:
        fields = {k: str(v) for k, v in (await request.form()).items()}
        callback, problems = check_form(fields, set(knowledge(request).gemeenten))
        if callback is None:
            return render(request, status=422, problems=problems, values=fields)
        delivered = await deliver(callback, config) if config.configured else []
        queued = not delivered and await run_in_threadpool(queue, store, callback)
        sent = bool(delivered) or queued
        return render(request, status=200 if sent else 503, sent=sent, queued=queued, values=fields)

    return router
