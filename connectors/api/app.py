"""The FastAPI application: `uvicorn connectors.api.app:app` (or `python -m connectors.api`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from connectors.admin import admin_router
from connectors.api.errors import install_error_handlers
from connectors.api.routes import chat, health, pages, search
from connectors.api.security import install_access_log_filter, install_security
from connectors.api.settings import ApiSettings
from connectors.api.state import AppState, SearcherHolder
from connectors.api.templating import make_templates
from connectors.assistant_client import AssistantClient
from connectors.callback.router import callback_router
from connectors.telegram.bridge import ApiStateBridge
from connectors.telegram.webhook import telegram_router_from_settings
from wegwijzer.dialogue.crisis import CrisisDetector
from wegwijzer.knowledge import KnowledgeBase, load_knowledge
from wegwijzer.privacy.logs import install_log_redaction
from wegwijzer.records import RecordStore

DESCRIPTION = """Wegwijzer wijst inwoners, professionals en baliemedewerkers de weg naar hulp in het sociaal domein.

- `POST /api/chat`: een bericht aan de assistent (Rasa). Werkt de assistent niet, dan komt er toch een eerlijk
  antwoord met het algemene contact van de gemeente (`degraded: true`).
- `GET /api/search`: passages uit de beleidsteksten en passende plekken, voor de balie en professionals.
- `GET /health`: de toestand van elk onderdeel.

Fouten hebben altijd een Nederlandse zin in `detail`."""


@cache
def _records() -> RecordStore:
    """One records store per process, opened on the first /beheer request or callback request."""
    return RecordStore.from_settings()


def create_app(
    settings: ApiSettings | None = None,
    knowledge: KnowledgeBase | None = None,
    assistant: AssistantClient | None = None,
) -> FastAPI:
    settings = settings or ApiSettings.from_settings()
    install_log_redaction()  # every log record of the process, uvicorn's and the libraries' too

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_access_log_filter()  # uvicorn has set up its loggers by now
        kb = knowledge or load_knowledge()
        searcher, patterns = SearcherHolder(), CrisisDetector(kb)
        # With Rasa down, the degraded answer checks for a crisis with the classifier once it is loaded.
        client = assistant or AssistantClient(kb, crisis=lambda: searcher.crisis_detector() or patterns)
        state = AppState(settings, kb, client, searcher, bindings=_records)  # sessions bound to a browser
        app.state.wegwijzer = state
        state.searcher.start()  # the models load in the background; /health says 'starting' meanwhile
        try:
            yield
        finally:
            await state.assistant.aclose()  # the one HTTP client to Rasa and the action server

    app = FastAPI(
        title="Wegwijzer",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # our own /docs page: Swagger UI from npm, under the strict CSP
        redoc_url=None,
    )
    app.state.templates = make_templates(settings)
    install_error_handlers(app)
    install_security(app, settings)  # limits (413, 429), CORS, security headers
    install_access_log_filter()
    for module in (chat, search, health, pages):
        app.include_router(module.router)
    # The callback queue lives in the records database: where /beheer shows it to staff.
    app.include_router(callback_router(lambda request: request.app.state.wegwijzer.knowledge, store=_records))
    app.include_router(admin_router(_records))  # /beheer for the content team, behind WEGWIJZER_ADMIN_TOKEN
    bridge = ApiStateBridge(lambda: app.state.wegwijzer)  # Telegram shares the API's index and assistant
    telegram = telegram_router_from_settings(bridge, search=bridge)  # None without WEGWIJZER_TELEGRAM_TOKEN
    if telegram is not None:
        app.include_router(telegram)
    app.mount("/static", StaticFiles(directory=settings.dist, check_dir=False), name="static")
    return app


app = create_app()
