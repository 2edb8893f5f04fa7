"""The pieces of the API's security without a server: the request limits and the security settings."""

from __future__ import annotations

import pytest

from connectors.api.ratelimit import RateLimiter, retry_after
from connectors.api.settings import (
    DEFAULT_EXEMPT,
    ApiSettings,
    Limits,
    SettingsError,
    allowed_origins,
    csp_sources,
    widget_hosts_per_gemeente,
)
from tests.conftest import settings_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_at_most_n_requests_in_any_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # 6 a minute
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6
    assert limiter.take("a") == pytest.approx(60.0), "the 7th within the minute waits until the first is a minute old"
    assert limiter.take("b") == 0.0, "another key has its own window"
    clock.now += 30
    assert limiter.take("a") == pytest.approx(30.0), "half a minute on: no room yet (a bucket would have refilled 3)"
    clock.now += 30
    assert limiter.take("a") == 0.0, "a minute after the first six, there is room again"
    assert retry_after(0.2) == 1 and retry_after(9.01) == 10


def test_requests_spread_over_the_minute_are_counted_in_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(120, clock=clock)
    allowed = 0
    for _ in range(300):  # one request every 0.25 s for 75 s
        allowed += limiter.take("a") == 0.0
        clock.now += 0.25
    # the first 120 (in 30 s), then nothing until the first is a minute old, then one per 0.25 s for 15 s
    assert allowed == 120 + 60


def test_a_limit_of_zero_is_off() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.take("a") == 0.0 for _ in range(1000))
    assert len(limiter) == 0


def test_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(60, max_keys=100, clock=clock)
    for n in range(1000):
        limiter.take(f"k{n}")
    assert len(limiter) == 100, "the least recently used keys go first"
    clock.now += 61  # no request in the last minute: the same as a new key
    for n in range(20):
        limiter.take(f"new{n}")
    assert len(limiter) < 100


def test_limits_from_the_settings() -> None:
    default = Limits.from_settings(settings_of({}))
    assert default.exempt == frozenset(DEFAULT_EXEMPT)
    assert (default.session_per_minute, default.address_per_minute, default.login_per_minute) == (20, 120, 5)
    limits = Limits.from_settings(
        settings_of(
            {
                "WEGWIJZER_MAX_BODY_BYTES": "4096",
                "WEGWIJZER_RATE_SESSION": "5",
                "WEGWIJZER_RATE_ADDRESS": "0",
                "WEGWIJZER_RATE_EXEMPT": "",
            }
        )
    )
    assert (limits.max_body_bytes, limits.session_per_minute, limits.address_per_minute) == (4096, 5, 0)
    assert limits.exempt == frozenset(), "empty: no address is exempt"
    exempt = settings_of({"WEGWIJZER_RATE_EXEMPT": "10.0.0.1, 10.0.0.2"})
    assert Limits.from_settings(exempt).exempt == {"10.0.0.1", "10.0.0.2"}


def test_a_setting_that_is_no_number_is_one_clear_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from wegwijzer.settings import load_settings

    monkeypatch.setenv("WEGWIJZER_RATE_LOGIN", "x")
    with pytest.raises(SettingsError, match="WEGWIJZER_RATE_LOGIN moet een geheel getal zijn, niet 'x'"):
        load_settings()


def test_frame_ancestors_per_gemeente(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_WIDGET_HOSTS", "https://www.example.nl")
    monkeypatch.setenv("WEGWIJZER_WIDGET_HOSTS_PURMEREND", "https://www.purmerend.nl  https://*.purmerend.nl")
    monkeypatch.setenv("WEGWIJZER_WIDGET_HOSTS_DIJK_EN_WAARD", "https://www.dijkenwaard.nl")
    settings = ApiSettings.from_settings()
    assert settings.frame_ancestors("purmerend") == "https://www.purmerend.nl https://*.purmerend.nl"
    assert settings.frame_ancestors("dijk-en-waard") == "https://www.dijkenwaard.nl"
    assert settings.frame_ancestors("leiderdorp") == "https://www.example.nl"
    assert settings.frame_ancestors(None) == "https://www.example.nl"
    monkeypatch.setenv("WEGWIJZER_WIDGET_HOSTS_X", "  ")
    assert "x" not in widget_hosts_per_gemeente(settings_of({}))


@pytest.mark.parametrize(
    "value",
    [
        "https://a.nl; script-src *",
        "https://a.nl,https://b.nl",
        "https://a.nl\r\nX-Evil: 1",
        "https://a.nl\n",
        "'unsafe-inline'",
    ],
)
def test_a_host_list_cannot_smuggle_in_another_directive(value: str) -> None:
    with pytest.raises(SettingsError, match="WEGWIJZER_WIDGET_HOSTS_PURMEREND"):
        csp_sources("WEGWIJZER_WIDGET_HOSTS_PURMEREND", value)


def test_csp_sources_that_are_fine() -> None:
    value = "'self' https: https://www.purmerend.nl *.purmerend.nl http://localhost:8080 *"
    assert csp_sources("X", value) == value
    assert csp_sources("X", "  ") == "'none'"


def test_allowed_origins() -> None:
    assert allowed_origins("") == ()
    assert allowed_origins(" https://www.Purmerend.nl/ , http://localhost:3000") == (
        "https://www.purmerend.nl",
        "http://localhost:3000",
    )
    for bad in ("www.purmerend.nl", "https://www.purmerend.nl/chat", "ftp://a.nl"):
        with pytest.raises(SettingsError, match="WEGWIJZER_ALLOWED_ORIGINS"):
            allowed_origins(bad)
