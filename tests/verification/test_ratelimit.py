"""The API's rate limiter on the `limits` library: in memory, and on Redis across processes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from deskhand.config import Settings
from deskhand.serving import ratelimit
from deskhand.serving.ratelimit import RateLimiter
from deskhand.web.app import create_app

RedisSpace = tuple[str, str]


def exhaust(limiter: RateLimiter, limit: int, key: str = "client-1") -> list[float]:
    return [limiter.hit("messages", key, limit, 60) for _ in range(limit + 1)]


def assert_limits(limiter: RateLimiter) -> None:
    waits = exhaust(limiter, 3)
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 0 < waits[3] <= 60
    assert limiter.hit("messages", "client-2", 3, 60) == 0.0  # per key
    assert limiter.hit("conversations", "client-1", 3, 60) == 0.0  # per bucket


def test_in_memory_limits_per_bucket_and_key() -> None:
    assert_limits(RateLimiter())


def test_in_memory_limiters_do_not_share() -> None:
    first, second = RateLimiter(), RateLimiter()
    exhaust(first, 2)
    assert second.hit("messages", "client-1", 2, 60) == 0.0


def test_redis_limits_per_bucket_and_key(redis_space: RedisSpace) -> None:
    url, prefix = redis_space
    assert_limits(RateLimiter(url, key_prefix=prefix))


def test_two_limiters_on_one_redis_see_one_count(redis_space: RedisSpace) -> None:
    url, prefix = redis_space
    first, second = RateLimiter(url, key_prefix=prefix), RateLimiter(url, key_prefix=prefix)
    assert first.hit("messages", "client-1", 3, 60) == 0.0
    assert second.hit("messages", "client-1", 3, 60) == 0.0
    assert first.hit("messages", "client-1", 3, 60) == 0.0
    assert second.hit("messages", "client-1", 3, 60) > 0
    assert first.hit("messages", "client-1", 3, 60) > 0


@pytest.fixture
def redis_settings(
    settings: Settings, redis_space: RedisSpace, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    url, prefix = redis_space
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", prefix)
    return settings.model_copy(update={"redis_url": url, "conversations_per_minute": 2})


def test_two_app_processes_share_the_api_limit_through_redis(
    redis_settings: Settings, demo_db: object
) -> None:
    """DESKHAND_REDIS_URL: two app instances (two workers) count one limit."""
    with (
        TestClient(create_app(redis_settings)) as first,
        TestClient(create_app(redis_settings)) as second,
    ):
        assert first.post("/api/v1/conversations", json={"channel": "webchat"}).status_code == 201
        assert second.post("/api/v1/conversations", json={"channel": "webchat"}).status_code == 201
        over = first.post("/api/v1/conversations", json={"channel": "webchat"})
        assert over.status_code == 429
        assert int(over.headers["retry-after"]) >= 1


def test_in_memory_window_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request counts for exactly the window: the oldest leaves it, one more is allowed,
    and the wait told is until that happens."""
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    limiter = RateLimiter()
    assert limiter.hit("messages", "c", 2, 60) == 0.0
    clock[0] += 20
    assert limiter.hit("messages", "c", 2, 60) == 0.0
    clock[0] += 30
    assert limiter.hit("messages", "c", 2, 60) == pytest.approx(10)  # the first leaves at 60
    clock[0] += 10
    assert limiter.hit("messages", "c", 2, 60) == 0.0
    assert limiter.hit("messages", "c", 2, 60) == pytest.approx(20)  # now the second's turn


def test_in_memory_keys_gone_quiet_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    limiter = RateLimiter()
    for n in range(50):
        limiter.hit("messages", f"conversation-{n}", 5, 60)
    clock[0] += 61
    limiter.hit("messages", "late", 5, 60)
    windows = limiter._windows
    assert isinstance(windows, ratelimit._MemoryWindows)
    assert list(windows._hits) == [("messages", "late", 60)]
