"""Tell Telegram where the webhook is (setWebhook with the secret), or remove it."""

from __future__ import annotations

from telegram import Bot

from connectors.telegram.application import ALLOWED_UPDATES
from connectors.telegram.logging_policy import quiet_library_loggers
from connectors.telegram.settings import TelegramSettings
from wegwijzer.settings import SettingsError


def _bot(settings: TelegramSettings) -> Bot:
    quiet_library_loggers()
    return Bot(settings.token, base_url=settings.api_url, base_file_url=settings.file_url)


async def set_webhook(settings: TelegramSettings, url: str | None = None) -> str:
    target = url or settings.webhook_url
    if not target:
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_WEBHOOK_URL ontbreekt: geef het openbare https-adres van de webhook, "
            "bijvoorbeeld https://wegwijzer.gemeente.nl/telegram/webhook."
        )
    if not target.startswith("https://"):
        raise SettingsError("Het webhook-adres moet met https:// beginnen; Telegram post alleen naar https.")
    async with _bot(settings) as bot:
        await bot.set_webhook(
            target, secret_token=settings.require_secret(), allowed_updates=ALLOWED_UPDATES, drop_pending_updates=True
        )
    return target


async def delete_webhook(settings: TelegramSettings) -> None:
    async with _bot(settings) as bot:
        await bot.delete_webhook(drop_pending_updates=True)
