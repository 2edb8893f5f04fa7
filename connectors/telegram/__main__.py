"""python -m connectors.telegram --poll | --serve | --set-webhook [URL] | --delete-webhook"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from connectors.telegram.logging_policy import quiet_library_loggers
from connectors.telegram.settings import TelegramSettings, telegram_settings
from wegwijzer.privacy.logs import install_log_redaction
from wegwijzer.settings import SettingsError

if TYPE_CHECKING:
    from connectors.assistant_client import AssistantClient


def _assistant_and_directory() -> tuple[AssistantClient, object]:
    from connectors.assistant_client import AssistantClient
    from connectors.telegram.gemeenten import GemeenteDirectory
    from wegwijzer.knowledge import load_knowledge

    knowledge = load_knowledge()
    return AssistantClient(knowledge), GemeenteDirectory.of(knowledge.gemeenten.values())


def _poll(settings: TelegramSettings) -> None:
    from connectors.telegram.application import build_application
    from connectors.telegram.polling import poll_forever

    assistant, directory = _assistant_and_directory()
    app = build_application(settings, assistant, directory=directory, polling=True)  # type: ignore[arg-type]
    print("Telegram-bot draait in polling-modus. Stoppen: Ctrl+C.", flush=True)

    async def poll_then_close() -> None:
        try:
            await poll_forever(app)
        finally:
            await assistant.aclose()

    asyncio.run(poll_then_close())


def _serve(settings: TelegramSettings, host: str, port: int) -> None:
    import uvicorn
    from fastapi import FastAPI

    from connectors.telegram.webhook import telegram_router

    assistant, directory = _assistant_and_directory()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await assistant.aclose()  # the assistant's one HTTP client

    app = FastAPI(
        title="Wegwijzer Telegram-webhook", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.include_router(telegram_router(settings, assistant, directory=directory))  # type: ignore[arg-type]
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.telegram", description="Wegwijzer op Telegram")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--poll", action="store_true", help="haal berichten op met getUpdates (ontwikkelen)")
    mode.add_argument("--serve", action="store_true", help="alleen de webhook, los van de API (POST /telegram/webhook)")
    mode.add_argument("--set-webhook", nargs="?", const="", metavar="URL", help="meld de webhook aan bij Telegram")
    mode.add_argument("--delete-webhook", action="store_true", help="meld de webhook af (nodig voor --poll)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()
    quiet_library_loggers()  # no token (in request URLs) and no update contents in the logs
    try:
        settings = telegram_settings(webhook=bool(args.serve or args.set_webhook is not None))
        if args.poll:
            _poll(settings)
        elif args.serve:
            _serve(settings, args.host, args.port)
        elif args.set_webhook is not None:
            from connectors.telegram.webhook_admin import set_webhook

            print(f"Webhook aangemeld: {asyncio.run(set_webhook(settings, args.set_webhook or None))}")
        else:
            from connectors.telegram.webhook_admin import delete_webhook

            asyncio.run(delete_webhook(settings))
            print("Webhook afgemeld.")
    except SettingsError as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
