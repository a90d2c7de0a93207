"""The worker loop (as `deskhand worker` and the demo run it), and inbound answers retried."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.fakes.channels import AVA_PHONE, Channels

from deskhand.channels import inbound
from deskhand.channels.worker import start_worker_thread


def test_the_worker_thread_delivers_replies_and_stops(channels: Channels) -> None:
    channels.settings.worker_poll_seconds = 0.05
    thread, stop = start_worker_thread(channels.settings, channels.state.sessions)
    try:
        channels.sms(AVA_PHONE, "Where is my order 1002?")
        deadline = time.monotonic() + 20
        while not channels.twilio.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert channels.twilio.sent
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_message_whose_answer_failed_is_kept_and_answered_later(
    channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = inbound.take_turn_unless_team

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the agent fell over")

    monkeypatch.setattr(inbound, "take_turn_unless_team", broken)
    r = channels.sms(AVA_PHONE, "Where is my order 1002?")
    assert r.status_code == 200  # Twilio does not retry: we keep the message ourselves
    (row,) = channels.inbound()
    assert row.status == "received"
    assert row.last_error == "RuntimeError: the agent fell over"
    assert channels.conversations() == []  # the failed attempt left nothing half-done
    monkeypatch.setattr(inbound, "take_turn_unless_team", real)
    later = datetime.now(UTC) + timedelta(minutes=1)
    answered = inbound.retry_inbound(
        channels.state.sessions, channels.state.agent, channels.settings, later
    )
    assert answered == 1
    channels.deliver()
    assert channels.sent_bodies(AVA_PHONE)
    (row,) = channels.inbound()
    assert row.status == "processed"
    assert row.attempts == 2
