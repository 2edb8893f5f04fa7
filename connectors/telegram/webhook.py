"""The webhook endpoint for the API app: POST /telegram/webhook, checked against the secret token.

The API mounts it with (the API's state is made in its lifespan, hence the bridge)

    bridge = ApiStateBridge(lambda: app.state.wegwijzer)     # .assistant.chat and .searcher.search
    router = telegram_router_from_settings(bridge, search=bridge)  # None when no token is configured
    if router is not None:
        app.include_router(router)                            # the router's lifespan runs the bot

Telegram sends the secret given to setWebhook in the X-Telegram-Bot-Api-Secret-Token header of
every update. A missing or wrong header gets 403 and the body is not even read. An accepted update
is queued and answered with 200 at once; the bot works it off in the background, so Telegram
never waits for the assistant.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from telegram import Update
from telegram.ext import Application

from connectors.telegram.application import build_application, running
from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.protocols import ChatAssistant, SearchBackend, SearcherFactory
from connectors.telegram.settings import TelegramSettings, telegram_settings
from connectors.telegram.store import GemeenteStore
from wegwijzer.settings import load_settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram/webhook"
MAX_UPDATE_BYTES = 1_000_000  # a text update is a few kB; Telegram's own limit on messages is 4096 chars


def secret_ok(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def telegram_router(
    settings: TelegramSettings,
    assistant: ChatAssistant,
    *,
    searcher_factory: SearcherFactory | None = None,
    search: SearchBackend | None = None,
    directory: GemeenteDirectory | None = None,
    store: GemeenteStore | None = None,
    path: str = WEBHOOK_PATH,
    preload_index: bool = True,
) -> APIRouter:
    """A FastAPI router with POST `path`; its lifespan runs the bot while the API app runs."""
    secret = settings.require_secret()
    application = build_application(
        settings,
        assistant,
        searcher_factory=searcher_factory,
        search=search,
        directory=directory,
        store=store,
        polling=False,
        preload_index=preload_index,
    )

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async with running(application):
            yield

    router = APIRouter(lifespan=lifespan)
    router.telegram_application = application  # type: ignore[attr-defined]  # for tests and /health

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        if not secret_ok(request.headers.get(SECRET_HEADER), secret):
            log.warning("telegram: webhook-verzoek zonder geldig geheim geweigerd")
            return _error(403, "Verboden: ongeldig of ontbrekend geheim.")
        return await accept_update(application, request)

    return router


async def accept_update(application: Application, request: Request) -> Response:  # type: ignore[type-arg]
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_UPDATE_BYTES):
        return _error(413, "Het verzoek is te groot.")
    body = await request.body()
    if len(body) > MAX_UPDATE_BYTES:
        return _error(413, "Het verzoek is te groot.")
    try:
        data = json.loads(body)
        update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
    except (ValueError, TypeError, KeyError, AttributeError):
        update = None
    if update is None:
        return _error(400, "Dit is geen Telegram-update.")
    if not application.running:
        return _error(503, "De bot is nog niet gestart.")
    await application.update_queue.put(update)
    return Response(status_code=200)


def telegram_router_from_settings(assistant: ChatAssistant, **kwargs: Any) -> APIRouter | None:
    """The router when WEGWIJZER_TELEGRAM_TOKEN is set, None when Telegram is not configured.
    A token with missing or malformed other settings raises SettingsError (one clear sentence)."""
    if not telegram_configured():
        return None
    settings = telegram_settings(webhook=True)
    return telegram_router(settings, assistant, **kwargs)


def telegram_configured() -> bool:
    return bool(load_settings().telegram_token)
