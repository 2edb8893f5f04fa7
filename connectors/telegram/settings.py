"""The Telegram bot's settings (WEGWIJZER_TELEGRAM_* of wegwijzer.settings), checked, with one clear
sentence for each problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wegwijzer.settings import Settings, SettingsError, load_settings

DEFAULT_BASE_URL = "https://api.telegram.org"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret token
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    allowed_ids: frozenset[int]
    secret: str | None = None  # required for webhook mode
    base_url: str = DEFAULT_BASE_URL  # the Bot API server (a local fake in the tests)
    webhook_url: str | None = None  # the public https URL Telegram posts to (for --set-webhook)
    store_path: Path | None = None  # JSON file for the gemeente per user; None keeps it in memory

    @property
    def api_url(self) -> str:
        """The base URL as python-telegram-bot wants it: the token is appended to it."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.base_url}/file/bot"

    def require_secret(self) -> str:
        if not self.secret:
            raise SettingsError(
                "WEGWIJZER_TELEGRAM_SECRET ontbreekt: de webhook heeft een geheim nodig "
                "(1-256 tekens: letters, cijfers, _ en -), bijvoorbeeld uit 'openssl rand -hex 32'."
            )
        return self.secret

    def __repr__(self) -> str:  # never show the token or the secret
        return f"TelegramSettings(allowed={len(self.allowed_ids)} ids, base_url={self.base_url!r})"


def _allowed_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise SettingsError(
                f"WEGWIJZER_TELEGRAM_ALLOWED_IDS bevat '{part}': gebruik alleen Telegram-gebruikersnummers, "
                "gescheiden door komma's (bijvoorbeeld 123456789,987654321)."
            )
        ids.add(int(part))
    if not ids:
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_ALLOWED_IDS is leeg: geef de Telegram-gebruikersnummers van de professionals "
            "die de bot mogen gebruiken, gescheiden door komma's."
        )
    return frozenset(ids)


def telegram_settings(settings: Settings | None = None, *, webhook: bool = False) -> TelegramSettings:
    """WEGWIJZER_TELEGRAM_*, checked; with webhook=True the secret is required as well."""
    given = settings or load_settings()
    token = (given.telegram_token or "").strip()
    if not token:
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_TOKEN ontbreekt: vraag een bot-token aan bij @BotFather in Telegram "
            "en zet het in deze omgevingsvariabele."
        )
    if not _TOKEN.match(token):
        raise SettingsError("WEGWIJZER_TELEGRAM_TOKEN heeft niet de vorm van een bot-token (123456:ABC-...).")
    allowed = given.telegram_allowed_ids
    if allowed is None:
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_ALLOWED_IDS ontbreekt: geef de Telegram-gebruikersnummers van de professionals "
            "die de bot mogen gebruiken, gescheiden door komma's."
        )
    secret = (given.telegram_secret or "").strip() or None
    if secret is not None and not _SECRET.match(secret):
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_SECRET mag alleen letters, cijfers, _ en - bevatten (1-256 tekens); dat eist Telegram."
        )
    base_url = given.telegram_base_url.strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError("WEGWIJZER_TELEGRAM_BASE_URL moet met http:// of https:// beginnen.")
    webhook_url = (given.telegram_webhook_url or "").strip() or None
    if webhook_url is not None and not webhook_url.startswith("https://"):
        raise SettingsError(
            "WEGWIJZER_TELEGRAM_WEBHOOK_URL moet een https-adres zijn; Telegram post alleen naar https."
        )
    store = given.telegram_store
    settings = TelegramSettings(
        token=token,
        allowed_ids=_allowed_ids(allowed),
        secret=secret,
        base_url=base_url,
        webhook_url=webhook_url,
        store_path=store,
    )
    if webhook:
        settings.require_secret()
    return settings
