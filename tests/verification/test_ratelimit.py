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
