"""Build the python-telegram-bot Application: our handlers, HTML by default, per-user ordering."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, Defaults

from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.handlers import COMMANDS, WegwijzerBot
from connectors.telegram.logging_policy import quiet_library_loggers
from connectors.telegram.ordering import PerUserUpdateProcessor
from connectors.telegram.protocols import ChatAssistant, SearchBackend, SearcherFactory
from connectors.telegram.search_service import SearchService
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.store import GemeenteStore, open_store

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
BOT_KEY = "wegwijzer"  # where the WegwijzerBot sits in application.bot_data


def build_application(
    settings: TelegramSettings,
    assistant: ChatAssistant,
    *,
    searcher_factory: SearcherFactory | None = None,
    search: SearchBackend | None = None,
    directory: GemeenteDirectory | None = None,
    store: GemeenteStore | None = None,
    polling: bool = False,
    preload_index: bool = True,
) -> Application:  # type: ignore[type-arg]
    """The Application; with polling=False it has no Updater (updates come in over our webhook).

    /zoek uses `search` when given (e.g. the API's searcher holder), else a SearchService that opens
    the index with `searcher_factory` (default: the process's one search load, wegwijzer.search_loader)."""
    quiet_library_loggers()
    builder = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(PerUserUpdateProcessor())
    )
    if not polling:
        builder = builder.updater(None)
    app = builder.build()
    bot = WegwijzerBot(
        token=settings.token,
        allowed_ids=settings.allowed_ids,
        assistant=assistant,
        directory=directory or GemeenteDirectory.load(),
        store=store or open_store(settings.store_path),
        search=search or SearchService(searcher_factory),
    )
    bot.register(app)
    app.bot_data[BOT_KEY] = bot
    app.bot_data["preload_index"] = preload_index
    return app


@asynccontextmanager
async def running(app: Application, *, polling: bool = False) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Initialize and start the Application (and, with polling=True, fetch updates with getUpdates);
    stop and shut it down on the way out."""
    await app.initialize()
    try:
        if polling:
            assert app.updater is not None, "build_application(..., polling=True) makes an Updater"
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=0.0, timeout=10)
        await app.start()
        preload = await _after_start(app)
        try:
            yield app
        finally:
            if preload is not None:
                preload.cancel()
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()


async def _after_start(app: Application) -> asyncio.Task[None] | None:  # type: ignore[type-arg]
    """The command menu in Telegram, and the index loading in the background."""
    try:
        await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS.items()])
    except TelegramError as error:
        log.warning("telegram: opdrachtenmenu niet gezet (%s)", type(error).__name__)
    log.info("telegram: bot @%s gestart", app.bot.username)
    if not app.bot_data.get("preload_index"):
        return None
    bot: WegwijzerBot = app.bot_data[BOT_KEY]
    if not isinstance(bot.search, SearchService):
        return None  # someone else's searcher loads itself
    return asyncio.create_task(bot.search.preload(), name="wegwijzer-index-preload")
