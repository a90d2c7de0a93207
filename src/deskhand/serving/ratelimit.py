"""The API's request limits (messages, conversations, Hub forms): a moving window.

With `DESKHAND_REDIS_URL` set, every process counts in the same Redis through the `limits`
library, so several workers behind a load balancer share one limit. In one process (the
embedded default) the window is kept here, in memory: a request counts for exactly
`per_seconds` after it was made.

Why not the `limits` library's memory storage in one process too: it starts a timer thread
every 10 ms while any window holds a request, and each run walks every key's events under
the interpreter's lock. With a key per conversation that was about 4 ms of every 10 under
load (2,000 conversations in the last minute, `deskhand bench load`), taken from the turns.
Here old requests leave a key's window when that key is hit, and keys gone quiet are dropped
once per window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

KEY_PREFIX = "deskhand"
_MIN_WAIT = 0.001  # over the limit, yet its oldest hit just left the window: retry at once


class _MemoryWindows:
    """Per (bucket, key, window): the times of its requests within the window, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str, float], deque[float]] = {}
        self._swept = time.monotonic()

    def hit(self, bucket: str, key: str, limit: int, per_seconds: float) -> float:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault((bucket, key, per_seconds), deque())
            while hits and hits[0] <= now - per_seconds:
                hits.popleft()
            if len(hits) >= limit:
                return max(hits[len(hits) - limit] + per_seconds - now, _MIN_WAIT)
            hits.append(now)
            if now - self._swept > per_seconds:
                self._sweep(now)
            return 0.0

    def _sweep(self, now: float) -> None:
        """Drop the keys whose every request has left its window (called under the lock)."""
        self._swept = now
        for name in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - k[2]]:
            del self._hits[name]


class _SharedWindows:
    """The same moving window in Redis (the `limits` library), shared by every process."""

    def __init__(self, storage_url: str, key_prefix: str) -> None:
        storage = storage_from_string(storage_url, key_prefix=key_prefix)
        self._limiter = MovingWindowRateLimiter(storage)

    def hit(self, bucket: str, key: str, limit: int, per_seconds: float) -> float:
        item = RateLimitItemPerSecond(limit, max(1, math.ceil(per_seconds)))
        if self._limiter.hit(item, bucket, key):
            return 0.0
        reset_at = self._limiter.get_window_stats(item, bucket, key).reset_time
        return max(reset_at - time.time(), _MIN_WAIT)


class RateLimiter:
    def __init__(self, storage_url: str | None = None, *, key_prefix: str | None = None) -> None:
        """`storage_url`: a Redis URL (redis://host:6379/0) shared by processes, else memory."""
        self._windows: _MemoryWindows | _SharedWindows = (
            _SharedWindows(storage_url, key_prefix or KEY_PREFIX)
            if storage_url
            else _MemoryWindows()
        )

    def hit(self, bucket: str, key: str, limit: int, per_seconds: float) -> float:
        """Record one request; 0 if allowed, else the seconds until the next is allowed."""
        return self._windows.hit(bucket, key, limit, per_seconds)
