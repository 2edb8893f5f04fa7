"""Every WEGWIJZER_* setting in one object, from the environment (and a .env file next to the code).

`load_settings()` reads them afresh on each call (a fraction of a millisecond), so a test that sets a
variable and a process started with another environment both see their own values. A value that
cannot be used stops with one Dutch sentence that names the variable. The per-part helpers (the API's
`Settings`, Telegram's, the records') are views built from this object; none reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "WEGWIJZER_"
WIDGET_HOSTS_PER_GEMEENTE = f"{PREFIX}WIDGET_HOSTS_"  # WEGWIJZER_WIDGET_HOSTS_<GEMEENTE>


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable and what to write."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=REPO_ROOT / ".env", extra="ignore", frozen=True, validate_default=True
    )

    # ---- where content and built things are -------------------------------------------------------
    knowledge: Path = REPO_ROOT / "knowledge"
    var: Path = REPO_ROOT / "var"  # everything built, never committed: models, index, crisis model, records
    models_dir: Path | None = None  # default var/models
    index_dir: Path | None = None  # default var/index
    crisis_dir: Path | None = None  # default var/crisis
    bot_dir: Path = REPO_ROOT / "bot"
    rasa: Path = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"  # the rasa command of the Python 3.10 environment
    skip_rasa: bool = False  # set-up without Rasa (an environment without Python 3.10)
    web_dist: Path = REPO_ROOT / "connectors" / "web" / "dist"
    threads: int | None = Field(default=None, ge=1)  # threads for one encoder call; default all cores

    # ---- the processes and how they find each other -----------------------------------------------
    rasa_url: str = "http://127.0.0.1:5005"  # one Rasa server, or several (comma-separated replicas)
    action_url: str = "http://127.0.0.1:5055"
    rasa_port: int = 5005
    actions_port: int = 5055
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_url: str = "http://127.0.0.1:8000"  # where residents reach the API (links such as the callback form)

    # ---- conversations and records ----------------------------------------------------------------
    database_url: str | None = None  # default SQLite in var/
    redis_url: str | None = None  # Rasa's lock store when several Rasa replicas share the conversations
    records_key: str | None = None  # default a key generated into var/
    # Between the services (API/Telegram -> Rasa's channel -> action server), and the key of Rasa's sender ids.
    # Default: generated into var/. Rasa's process reads them itself (wegwijzer.privacy.keys: no pydantic there).
    internal_token: str | None = None
    session_key: str | None = None
    retention_days: int = 28  # how long conversations are kept at most
    callback_retention_days: int = 14  # a callback request (a name and a number) waits at most this long

    # ---- the web API and pages --------------------------------------------------------------------
    gemeente: str | None = None  # the gemeente of '/' when the address names none
    allowed_origins: str = ""  # CORS, comma-separated origins; empty: same-origin only
    # CSP frame-ancestors of the widget frame: the municipal sites that embed it; unset: each gemeente's own site
    widget_hosts: str | None = None
    trusted_proxies: str = ""  # proxies whose X-Forwarded-For is believed (addresses or networks); none by default
    max_body_bytes: int = Field(default=16 * 1024, ge=1)
    rate_session: int = Field(default=20, ge=0)  # chat messages per conversation per minute; 0 = off
    rate_address: int = Field(default=120, ge=0)  # requests per client address per minute; 0 = off
    rate_login: int = Field(default=5, ge=0)  # /beheer login attempts per client address per minute
    rate_exempt: str | None = None  # addresses without a per-address limit; unset: this machine itself
    admin_token: str | None = None  # the /beheer token; empty: the admin pages are closed

    # ---- callback requests ------------------------------------------------------------------------
    callback_webhook: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    callback_from: str | None = None
    callback_to: str | None = None

    # ---- Telegram ---------------------------------------------------------------------------------
    telegram_token: str | None = None
    telegram_allowed_ids: str | None = None
    telegram_secret: str | None = None
    telegram_base_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_store: Path | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object, info: ValidationInfo) -> object:
        """An empty variable (VAR= in .env) means: not set, the default. Except for the exempt addresses,
        where empty means none (and unset means this machine)."""
        if info.field_name == "rate_exempt" or not (isinstance(value, str) and not value.strip()):
            return value
        return cls.model_fields[str(info.field_name)].default

    @field_validator("retention_days", "callback_retention_days")
    @classmethod
    def _at_least_a_day(cls, days: int) -> int:
        if days < 1:
            raise ValueError(f"de bewaartermijn moet minstens 1 dag zijn, niet {days}")
        return days

    @property
    def models_path(self) -> Path:
        return self.models_dir or self.var / "models"

    @property
    def index_path(self) -> Path:
        return self.index_dir or self.var / "index"

    @property
    def crisis_path(self) -> Path:
        return self.crisis_dir or self.var / "crisis"

    @property
    def rest_url(self) -> str:
        """Rasa's REST channel of the first replica (what the evaluation and `wegwijzer chat` talk to)."""
        return self.rasa_url.split(",")[0].strip().rstrip("/") + "/webhooks/rest/webhook"

    def widget_hosts_by_gemeente(self) -> dict[str, str]:
        """WEGWIJZER_WIDGET_HOSTS_<GEMEENTE> (e.g. _PURMEREND): the sites of one gemeente, unchecked.

        Read from the environment itself: a variable per gemeente cannot be a field."""
        return {
            name.removeprefix(WIDGET_HOSTS_PER_GEMEENTE): value
            for name, value in os.environ.items()
            if name.startswith(WIDGET_HOSTS_PER_GEMEENTE) and value.strip()
        }


_FIELD_WORDS = {
    "int_parsing": "een geheel getal",
    "bool_parsing": "ja of nee (1/0, true/false)",
    "greater_than_equal": "een groter getal",
}


def load_settings(**overrides: object) -> Settings:
    """The settings as the environment has them now; SettingsError names a variable that cannot be used."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problem = error.errors()[0]
        name = f"{PREFIX}{str(problem['loc'][0]).upper()}" if problem["loc"] else PREFIX + "*"
        wanted = _FIELD_WORDS.get(problem["type"])
        if name == f"{PREFIX}RETENTION_DAYS" and problem["type"] == "int_parsing":
            raise SettingsError(f"{name} moet een aantal dagen zijn, niet {problem['input']!r}.") from None
        if wanted:
            raise SettingsError(f"{name} moet {wanted} zijn, niet {problem['input']!r}.") from None
        message = str(problem["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}.") from None
