"""Run the API with uvicorn, with an access log that never holds query strings (for the stack runner)."""

from __future__ import annotations

import copy
import os
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

TRUSTED_PROXIES_ENV = "FORWARDED_ALLOW_IPS"  # uvicorn's own variable, as in docker-compose.yml


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query_strings"] = {"()": "connectors.api.security.NoQueryStrings"}
    config["handlers"]["access"]["filters"] = ["no_query_strings"]
    return config


def trusted_proxies() -> str | None:
    """Whose X-Forwarded-For / -Proto to believe (the client address for the rate limits): only when
    FORWARDED_ALLOW_IPS names them. Unset: the socket's peer is the client, whatever the headers say."""
    return os.environ.get(TRUSTED_PROXIES_ENV, "").strip() or None


def serve(host: str = "127.0.0.1", port: int = 8000, access_log: bool = True) -> None:
    proxies = trusted_proxies()
    uvicorn.run(
        "connectors.api.app:app",
        host=host,
        port=port,
        log_config=log_config(),
        access_log=access_log,
        proxy_headers=proxies is not None,
        forwarded_allow_ips=proxies,
    )
