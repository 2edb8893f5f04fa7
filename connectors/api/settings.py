"""Settings of the API and pages, from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wegwijzer.paths import REPO_ROOT

WEB_ROOT = REPO_ROOT / "connectors" / "web"
DEFAULT_RETENTION_DAYS = 28
DEFAULT_CALLBACK_RETENTION_DAYS = 14  # wegwijzer.records.settings keeps the same default
DEFAULT_MAX_BODY_BYTES = 16 * 1024
DEFAULT_SESSION_PER_MINUTE = 20
DEFAULT_ADDRESS_PER_MINUTE = 120
DEFAULT_LOGIN_PER_MINUTE = 5
DEFAULT_EXEMPT = ("127.0.0.1", "::1")  # the machine itself: health checks, local tools, tests
WIDGET_HOSTS_ENV = "WEGWIJZER_WIDGET_HOSTS"
# A CSP source: a scheme, a host with optional scheme, wildcard and port, or 'self' / 'none'.
_SOURCE = re.compile(
    r"^(?:\*|'self'|'none'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::\d+|:\*)?)$"
)
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d+)?$")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable and what to write."""


def _int(name: str, default: int, env: Mapping[str, str] | None = None) -> int:
    value = (env if env is not None else os.environ).get(name, "").strip()
    return int(value) if value.isdigit() else default


def csp_sources(name: str, value: str) -> str:
    """The value of a frame-ancestors setting, checked: space-separated sources, nothing that could end the
    directive (';', ',' or a line break) and smuggle in another."""
    sources = [source for source in value.split(" ") if source]  # spaces only: a line break is refused
    for source in sources:
        if not _SOURCE.fullmatch(source.lower()):
            raise SettingsError(
                f"{name} bevat '{source}': geef websites gescheiden door spaties, "
                "bijvoorbeeld 'https://www.purmerend.nl https://*.purmerend.nl'."
            )
    return " ".join(sources) or "'none'"


def widget_hosts_per_gemeente(env: Mapping[str, str]) -> dict[str, str]:
    """WEGWIJZER_WIDGET_HOSTS_<GEMEENTE> (e.g. _PURMEREND, _DIJK_EN_WAARD): the sites of one gemeente."""
    prefix = f"{WIDGET_HOSTS_ENV}_"
    return {
        gemeente_key(name.removeprefix(prefix)): csp_sources(name, value)
        for name, value in env.items()
        if name.startswith(prefix) and value.strip()
    }


def gemeente_key(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def allowed_origins(value: str) -> tuple[str, ...]:
    """WEGWIJZER_ALLOWED_ORIGINS: comma-separated origins that may call the API from their own pages (CORS)."""
    origins = tuple(o.strip().rstrip("/").lower() for o in value.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise SettingsError(
                f"WEGWIJZER_ALLOWED_ORIGINS bevat '{origin}': geef origins als 'https://www.purmerend.nl', "
                "gescheiden door komma's, zonder pad."
            )
    return origins


def exempt_addresses(env: Mapping[str, str]) -> frozenset[str]:
    """WEGWIJZER_RATE_EXEMPT: addresses without a limit per address (space or comma separated). Unset: this
    machine itself; empty: none."""
    if "WEGWIJZER_RATE_EXEMPT" not in env:
        return frozenset(DEFAULT_EXEMPT)
    return frozenset(a for a in re.split(r"[\s,]+", env["WEGWIJZER_RATE_EXEMPT"]) if a)


@dataclass(frozen=True)
class Limits:
    """Request limits (issue 5 §3). A rate of 0 switches that limit off."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # every request body; 413 above it
    session_per_minute: int = DEFAULT_SESSION_PER_MINUTE  # chat messages per conversation
    address_per_minute: int = DEFAULT_ADDRESS_PER_MINUTE  # requests per client address (static files excepted)
    login_per_minute: int = DEFAULT_LOGIN_PER_MINUTE  # /beheer login attempts per client address
    exempt: frozenset[str] = frozenset(DEFAULT_EXEMPT)  # addresses without a per-address limit

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = env if env is not None else os.environ
        return cls(
            max_body_bytes=_int("WEGWIJZER_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, env) or DEFAULT_MAX_BODY_BYTES,
            session_per_minute=_int("WEGWIJZER_RATE_SESSION", DEFAULT_SESSION_PER_MINUTE, env),
            address_per_minute=_int("WEGWIJZER_RATE_ADDRESS", DEFAULT_ADDRESS_PER_MINUTE, env),
            login_per_minute=_int("WEGWIJZER_RATE_LOGIN", DEFAULT_LOGIN_PER_MINUTE, env),
            exempt=exempt_addresses(env),
        )


@dataclass(frozen=True)
class Settings:
    retention_days: int  # how long conversations are kept at most (issue 5 enforces it)
    widget_hosts: str  # CSP frame-ancestors for the widget frame: the municipal sites that embed it
    default_gemeente: str | None  # the gemeente of '/' when the address names none
    dist: Path  # the built static folder (connectors/web/dist, made by `npm run build`)
    templates: Path
    content: Path
    # frame-ancestors for one gemeente's widget frame (key: gemeente id, '-' as '_'); others use widget_hosts
    widget_hosts_by_gemeente: dict[str, str] = field(default_factory=dict)
    allowed_origins: tuple[str, ...] = ()  # CORS; empty: same-origin only (the widget's frame needs no CORS)
    limits: Limits = field(default_factory=Limits)
    callback_retention_days: int = DEFAULT_CALLBACK_RETENTION_DAYS  # how long a callback request waits at most

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            retention_days=_int("WEGWIJZER_RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
            widget_hosts=csp_sources(WIDGET_HOSTS_ENV, env.get(WIDGET_HOSTS_ENV, "*").strip() or "*"),
            default_gemeente=env.get("WEGWIJZER_GEMEENTE", "").strip() or None,
            dist=Path(env.get("WEGWIJZER_WEB_DIST", WEB_ROOT / "dist")),
            templates=WEB_ROOT / "templates",
            content=WEB_ROOT / "content",
            widget_hosts_by_gemeente=widget_hosts_per_gemeente(env),
            allowed_origins=allowed_origins(env.get("WEGWIJZER_ALLOWED_ORIGINS", "")),
            limits=Limits.from_env(env),
            callback_retention_days=_int("WEGWIJZER_CALLBACK_RETENTION_DAYS", DEFAULT_CALLBACK_RETENTION_DAYS),
        )

    def frame_ancestors(self, gemeente: str | None) -> str:
        """The sites that may embed the widget frame of this gemeente."""
        if gemeente:
            return self.widget_hosts_by_gemeente.get(gemeente_key(gemeente), self.widget_hosts)
        return self.widget_hosts
