"""Request limits in memory: at most N requests per key (a session, a client address) in any 60 seconds.

A sliding window, not a bucket that refills: a bucket of N that refills N a minute lets 2N through in
the first minute, while the setting promises "N per minute" (the 121st request within a minute gets 429
at the default 120). Each key keeps the times of its requests of the last minute. The windows live in one
process (one uvicorn worker); with several workers or API replicas each has its own, so the effective
limit is N times the number of processes.

Memory stays bounded: a key with no request in the last minute is dropped (it is the same as a new one),
and at most `max_keys` are kept, the least recently used going first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_KEYS = 50_000
WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, per_minute: int, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = per_minute
        self.max_keys = max_keys
        self.clock = clock
        self._windows: OrderedDict[str, deque[float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def __len__(self) -> int:
        return len(self._windows)

    def take(self, key: str) -> float:
        """Count a request for `key`: 0.0 when allowed, else the seconds until the window has room (> 0)."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        self._forget_idle(now)
        times = self._windows.pop(key, None) or deque()
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        self._windows[key] = times  # most recently used at the end
        if len(self._windows) > self.max_keys:
            self._windows.popitem(last=False)
        if len(times) < self.limit:
            times.append(now)
            return 0.0
        return max(times[0] + WINDOW_SECONDS - now, 1e-3)

    def _forget_idle(self, now: float) -> None:
        """Drop the least recently used keys without a request in the last minute (a few per call)."""
        for _ in range(4):
            if not self._windows:
                return
            key, times = next(iter(self._windows.items()))
            if times and now - times[-1] < WINDOW_SECONDS:
                return
            del self._windows[key]


def retry_after(seconds: float) -> int:
    """Whole seconds for the Retry-After header, at least 1."""
    return max(1, math.ceil(seconds))
