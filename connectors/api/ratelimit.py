"""Token buckets in memory: N per minute per key (a session, a client address), with a burst of N.

A bucket holds up to `per_minute` tokens and refills at `per_minute / 60` tokens a second; a request
takes one. The buckets live in one process (one uvicorn worker); with several workers or API replicas
each has its own, so the effective limit is N times the number of processes.

Memory stays bounded: buckets that have refilled completely are dropped (they are the same as a new
one), and at most `max_keys` are kept, the least recently used going first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 50_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Take a token for `key`: 0.0 when allowed, else the seconds until the next token (> 0)."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        self._forget_full(now)
        bucket = self._buckets.pop(key, None) or _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[key] = bucket  # most recently used at the end
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop the least recently used buckets that have refilled completely (a few per call)."""
        full_after = self.capacity / self.rate
        for _ in range(4):
            if not self._buckets:
                return
            key, bucket = next(iter(self._buckets.items()))
            if now - bucket.updated < full_after:
                return
            del self._buckets[key]


def retry_after(seconds: float) -> int:
    """Whole seconds for the Retry-After header, at least 1."""
    return max(1, math.ceil(seconds))
