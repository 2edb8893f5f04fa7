"""Run the API with uvicorn, with an access log that never holds query strings and dated lines (for the stack
runner)."""

from __future__ import annotations

import copy
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["no_query_strings"] = {"()": "connectors.api.security.NoQueryStrings"}
    config["handlers"]["access"]["filters"] = ["no_query_strings"]
    # Each line dated: the retention purge takes lines older than the retention out of var/logs/api.log.
    for formatter in config["formatters"].values():
        formatter["fmt"] = "%(asctime)s " + formatter["fmt"]
    return config


def serve(host: str = "127.0.0.1", port: int = 8000, access_log: bool = True) -> None:
    # uvicorn's own proxy handling stays off (by default it believes X-Forwarded-For from 127.0.0.1):
    # the app reads it from WEGWIJZER_TRUSTED_PROXIES only (connectors/api/proxies.py).
    uvicorn.run(
        "connectors.api.app:app",
        host=host,
        port=port,
        log_config=log_config(),
        access_log=access_log,
        proxy_headers=False,
    )
