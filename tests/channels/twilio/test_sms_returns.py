"""Returns over SMS: a deep link into the Hub's returns tab, and the refund's state."""

from __future__ import annotations

from tests.fakes.channels import AVA_PHONE, Channels


def test_return_request_by_sms_gets_the_deep_link(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "I'd like to return the tote bag from order 1003")
    channels.deliver()
    text = " ".join(channels.sent_bodies(AVA_PHONE))
    assert "Canvas Tote" in text
    assert "http://testserver/hub/orders/1003/return?lang=en&t=" in text


def test_where_is_my_refund_by_sms(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "where is my refund for the boots?")
    channels.deliver()
    text = " ".join(channels.sent_bodies(AVA_PHONE))
    assert "RMA-1011-1" in text
    assert "€149.00" in text
