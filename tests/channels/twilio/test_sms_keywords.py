"""STOP / START / HELP, opt-outs, WhatsApp addresses and status callbacks."""

from __future__ import annotations

from sqlalchemy import select
from tests.fakes.channels import AVA_PHONE, Channels
from tests.fakes.fake_twilio import WHATSAPP_NUMBER

from deskhand.db.models import ChannelOptOut, DeliveryEvent
from deskhand.db.session import transaction


def _opt_outs(channels: Channels) -> list[tuple[str, str]]:
    with transaction(channels.state.sessions) as session:
        return [(o.channel, o.address) for o in session.scalars(select(ChannelOptOut))]


def test_stop_on_sms_is_recorded_and_left_to_twilio_to_answer(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "STOP")
    channels.deliver()
    assert channels.twilio.sent == []  # Twilio answers STOP on long codes itself
    assert _opt_outs(channels) == [("sms", AVA_PHONE)]
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.deliver()
    assert channels.twilio.sent == []  # nothing is sent after STOP
    (conv,) = channels.conversations()
    assert [m.text for m in channels.transcript(conv.id)] == ["STOP", "Where is my order 1002?"]
    channels.sms(AVA_PHONE, "START")
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.deliver()
    assert _opt_outs(channels) == []
    assert len(channels.sent_bodies(AVA_PHONE)) == 1


def test_replies_queued_before_stop_are_not_sent(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.sms(AVA_PHONE, "stop")
    channels.deliver()
    assert channels.twilio.sent == []
    assert {r.status for r in channels.outbox("sms")} == {"suppressed"}
    assert all(r.last_error and "opted out" in r.last_error for r in channels.outbox("sms"))


def test_keywords_are_answered_by_us_when_twilio_does_not(channels: Channels) -> None:
    channels.settings.twilio_answers_keywords = False  # e.g. a short code
    channels.sms(AVA_PHONE, "HELP")
    channels.sms(AVA_PHONE, "Stop")
    channels.sms(AVA_PHONE, "UNSTOP")
    channels.deliver()
    help_text, stopped, started = channels.sent_bodies(AVA_PHONE)
    assert "Fjord & Finch" in help_text
    assert "STOP" in help_text
    assert "START" in stopped  # the confirmation still goes out after STOP
    assert "HELP" in started


def test_only_the_bare_keyword_counts(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Please stop my order 1001")
    channels.deliver()
    assert _opt_outs(channels) == []
    assert channels.sent_bodies(AVA_PHONE)


def test_advanced_opt_out_keyword_is_recorded_without_our_reply(channels: Channels) -> None:
    channels.settings.twilio_answers_keywords = False
    channels.sms(AVA_PHONE, "ARRET", OptOutType="STOP")
    channels.deliver()
    assert _opt_outs(channels) == [("sms", AVA_PHONE)]
    assert channels.twilio.sent == []


def test_whatsapp_uses_whatsapp_addresses_and_answers_keywords(channels: Channels) -> None:
    r = channels.whatsapp(AVA_PHONE, "Where is my order 1002?")
    assert r.status_code == 200
    channels.deliver()
    (reply,) = channels.twilio.sent
    assert reply["To"] == f"whatsapp:{AVA_PHONE}"
    assert reply["From"] == f"whatsapp:{WHATSAPP_NUMBER}"
    (conv,) = channels.conversations()
    assert conv.channel == "whatsapp"
    assert conv.customer_id is not None
    channels.whatsapp(AVA_PHONE, "STOP")
    channels.deliver()
    assert _opt_outs(channels) == [("whatsapp", f"whatsapp:{AVA_PHONE}")]
    assert "START" in channels.twilio.sent[-1]["Body"]  # WhatsApp has no carrier reply


def test_cancel_on_whatsapp_is_a_request_not_an_opt_out(channels: Channels) -> None:
    channels.whatsapp(AVA_PHONE, "cancel")
    channels.deliver()
    assert _opt_outs(channels) == []


def test_status_callbacks_are_recorded_once_and_never_go_backwards(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.deliver()
    message = channels.twilio.sent[0]
    for status in ("sent", "delivered", "sent"):
        assert channels.status(message, status).status_code == 204
    assert channels.status(message, "delivered").status_code == 204  # a replay
    (row,) = [r for r in channels.outbox("sms") if r.provider_ref == message["sid"]]
    assert row.provider_status == "delivered"
    with transaction(channels.state.sessions) as session:
        events = [e.status for e in session.scalars(select(DeliveryEvent))]
    assert events == ["sent", "delivered"]
    forged = channels.client.post("/webhooks/twilio/status", data={"MessageSid": "SM1"})
    assert forged.status_code == 403


def test_failed_delivery_callback_keeps_the_error(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.deliver()
    message = channels.twilio.sent[0]
    channels.status(message, "undelivered", "30003")
    (row,) = [r for r in channels.outbox("sms") if r.provider_ref == message["sid"]]
    assert row.provider_status == "undelivered"
    assert row.last_error == "Twilio reports undelivered (error 30003)"


def test_twilio_off_says_why(channels: Channels) -> None:
    channels.state.settings.twilio_auth_token = ""
    r = channels.sms(AVA_PHONE, "hi")
    assert r.status_code == 503
    assert "DESKHAND_TWILIO_AUTH_TOKEN" in r.json()["detail"]
