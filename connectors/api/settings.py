"""The API's and pages' view of the settings (wegwijzer.settings), checked and in the forms they use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from connectors.api.proxies import Network, ProxySettingError, parse_proxies
from wegwijzer.settings import REPO_ROOT, WIDGET_HOSTS_PER_GEMEENTE, Settings, SettingsError, load_settings

__all__ = ["ApiSettings", "Limits", "SettingsError", "allowed_origins", "csp_sources"]

WEB_ROOT = REPO_ROOT / "connectors" / "web"
DEFAULT_EXEMPT = ("127.0.0.1", "::1")  # the machine itself: health checks, local tools, tests
# A CSP source: a scheme, a host with optional scheme, wildcard and port, or 'self' / 'none'.
_SOURCE = re.compile(
    r"^(?:\*|'self'|'none'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::\d+|:\*)?)$"
)
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d+)?$")


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


def widget_hosts_per_gemeente(settings: Settings) -> dict[str, str]:
    """WEGWIJZER_WIDGET_HOSTS_<GEMEENTE> (e.g. _PURMEREND, _DIJK_EN_WAARD): the sites of one gemeente, checked."""
    return {
        gemeente_key(name): csp_sources(f"{WIDGET_HOSTS_PER_GEMEENTE}{name}", value)
        for name, value in settings.widget_hosts_by_gemeente().items()
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


def exempt_addresses(value: str | None) -> frozenset[str]:
    """WEGWIJZER_RATE_EXEMPT: addresses without a limit per address (space or comma separated). Unset: this
    machine itself; empty: none."""
    if value is None:
        return frozenset(DEFAULT_EXEMPT)
    return frozenset(a for a in re.split(r"[\s,]+", value) if a)


@dataclass(frozen=True)
class Limits:
    """Request limits. A rate of 0 switches that limit off."""

    max_body_bytes: int  # every request body; 413 above it
    session_per_minute: int  # chat messages per conversation
    address_per_minute: int  # requests per client address (static files excepted)
    login_per_minute: int  # /beheer login attempts per client address
    exempt: frozenset[str]  # addresses without a per-address limit

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        settings = settings or load_settings()
        return cls(
            max_body_bytes=settings.max_body_bytes,
            session_per_minute=settings.rate_session,
            address_per_minute=settings.rate_address,
            login_per_minute=settings.rate_login,
            exempt=exempt_addresses(settings.rate_exempt),
        )


def _proxies(value: str) -> tuple[Network, ...]:
    try:
        return parse_proxies(value)
    except ProxySettingError as error:
        raise SettingsError(str(error)) from None


@dataclass(frozen=True)
class ApiSettings:
    retention_days: int  # how long conversations are kept at most
    # CSP frame-ancestors for the widget frame: the municipal sites that embed it. None: each gemeente's own
    # website from knowledge/gemeenten (and its subdomains), plus this site itself (security.py).
    widget_hosts: str | None
    default_gemeente: str | None  # the gemeente of '/' when the address names none
    dist: Path  # the built static folder (connectors/web/dist, made by `npm run build`)
    templates: Path
    content: Path
    limits: Limits
    # frame-ancestors for one gemeente's widget frame (key: gemeente id, '-' as '_'); others use widget_hosts
    widget_hosts_by_gemeente: dict[str, str] = field(default_factory=dict)
    allowed_origins: tuple[str, ...] = ()  # CORS; empty: same-origin only (the widget's frame needs no CORS)
    callback_retention_days: int = 14  # how long a callback request waits at most
    trusted_proxies: tuple[Network, ...] = ()  # whose X-Forwarded-For is believed (proxies.py); none by default

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ApiSettings:
        settings = settings or load_settings()
        return cls(
            retention_days=settings.retention_days,
            widget_hosts=csp_sources("WEGWIJZER_WIDGET_HOSTS", settings.widget_hosts)
            if settings.widget_hosts
            else None,
            default_gemeente=(settings.gemeente or "").strip() or None,
            dist=settings.web_dist,
            templates=WEB_ROOT / "templates",
            content=WEB_ROOT / "content",
            limits=Limits.from_settings(settings),
            widget_hosts_by_gemeente=widget_hosts_per_gemeente(settings),
            allowed_origins=allowed_origins(settings.allowed_origins),
            callback_retention_days=settings.callback_retention_days,
            trusted_proxies=_proxies(settings.trusted_proxies),
        )

    def frame_ancestors(self, gemeente: str | None) -> str | None:
        """The sites configured to embed the widget frame of this gemeente; None: none configured."""
        if gemeente:
            return self.widget_hosts_by_gemeente.get(gemeente_key(gemeente), self.widget_hosts)
        return self.widget_hosts
