"""The API's request limits (messages, conversations, Hub forms), on the `limits` library.

In-memory by default (one app process: the embedded default); with `DESKHAND_REDIS_URL` set,
every process counts in the same Redis, so several workers behind a load balancer share one
limit. A moving window: a request counts for exactly `per_seconds` after it was made.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

MEMORY = "memory://"
KEY_PREFIX = "deskhand"
_MIN_WAIT = 0.001  # over the limit, yet its oldest hit just left the window: retry at once


class RateLimiter:
    def __init__(self, storage_url: str | None = None, *, key_prefix: str | None = None) -> None:
        """`storage_url`: a Redis URL (redis://host:6379/0) shared by processes, else memory."""
        options = {"key_prefix": key_prefix or KEY_PREFIX} if storage_url else {}
        self._storage = storage_from_string(storage_url or MEMORY, **options)
        self._limiter = MovingWindowRateLimiter(self._storage)

    def hit(self, bucket: str, key: str, limit: int, per_seconds: float) -> float:
        """Record one request; 0 if allowed, else the seconds until the next is allowed."""
        item = RateLimitItemPerSecond(limit, max(1, math.ceil(per_seconds)))
        if self._limiter.hit(item, bucket, key):
            return 0.0
        reset_at = self._limiter.get_window_stats(item, bucket, key).reset_time
        return max(reset_at - time.time(), _MIN_WAIT)
