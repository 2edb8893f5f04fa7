"""Start the API in its own process and wait until it is healthy (tests and the screenshot script)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wegwijzer.paths import REPO_ROOT


def free_port() -> int:
    """A port nobody listens on (also usable as 'a service that is down')."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def health(base: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=3) as response:
            return dict(json.loads(response.read()))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def is_ready(state: dict[str, Any] | None, need_index: bool) -> bool:
    if state is None:
        return False
    return not need_index or state["components"]["index"]["status"] != "starting"


@contextmanager
def running_api(
    env: dict[str, str] | None = None, log: Path | None = None, need_index: bool = True, timeout: float = 240.0
) -> Iterator[str]:
    """Run `python -m connectors.api` on a free port; yields its base URL, stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = log or Path(os.devnull)
    with log_path.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "connectors.api", "--port", str(port)],
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"de API stopte bij het opstarten (code {process.returncode}); zie {log_path}")
            if is_ready(health(base), need_index):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"de API was niet op tijd klaar ({base}); zie {log_path}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
