"""Container health check: exit 0 when GET <url> answers 2xx within the timeout, 1 otherwise.

    python /opt/wegwijzer/healthcheck.py http://127.0.0.1:8000/health [timeout-seconds]

Standard library only, so it runs in both images (Python 3.11 app, Python 3.10 Rasa) without curl.
It prints one line on failure (no response bodies: they never hold message texts, but stay short).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

DEFAULT_TIMEOUT_S = 5.0


def healthy(url: str, timeout: float = DEFAULT_TIMEOUT_S) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        return False, f"{url}: HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return False, f"{url}: {type(error).__name__}"
    return 200 <= status < 300, f"{url}: HTTP {status}"


def main(argv: Sequence[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("gebruik: healthcheck.py URL [timeout]", file=sys.stderr)
        return 2
    timeout = float(argv[1]) if len(argv) == 2 else DEFAULT_TIMEOUT_S
    ok, detail = healthy(argv[0], timeout)
    if not ok:
        print(f"niet gezond: {detail}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
