"""Wegwijzer on Telegram, for allow-listed professionals (python-telegram-bot 22).

- webhook.telegram_router(settings, assistant) -> FastAPI APIRouter with POST /telegram/webhook
- application.build_application(...) and application.running(app, polling=...) for other set-ups
- python -m connectors.telegram --poll for development; see docs/telegram.md
"""

from connectors.telegram.protocols import ChatAssistant, PassageSearcher, SearcherFactory
from connectors.telegram.settings import TelegramSettings, telegram_settings
from wegwijzer.settings import SettingsError

__all__ = [
    "ChatAssistant",
    "PassageSearcher",
    "SearcherFactory",
    "SettingsError",
    "TelegramSettings",
    "telegram_settings",
]
