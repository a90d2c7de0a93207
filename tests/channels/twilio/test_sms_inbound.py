"""Inbound SMS through Twilio's signed webhook, answered through the outbox and the fake API."""

from __future__ import annotations

from tests.fakes.channels import AVA_PHONE, STRANGER_PHONE, Channels
from tests.fakes.fake_twilio import AUTH_TOKEN, SMS_NUMBER, inbound_params, twilio_signature

from deskhand.channels.twilio.webhooks import compute_signature, signature_valid


def test_signature_matches_the_published_test_vector() -> None:
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    expected = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert compute_signature("12345", url, list(params.items())) == expected
    assert twilio_signature("12345", url, params) == expected  # the fake signs the same way
    assert signature_valid(
        "12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", list(params.items()), expected
    )


def test_signed_sms_from_a_known_number_is_answered_by_the_worker(channels: Channels) -> None:
    r = channels.sms(AVA_PHONE, "Where is my order 1002?")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/xml")
    assert "<Response>" in r.text
    assert channels.twilio.sent == []  # nothing leaves before the worker runs
    statuses = channels.deliver()
    assert set(statuses.values()) == {"sent"}
    sent = channels.twilio.sent
    assert sent
    assert all(m["To"] == AVA_PHONE and m["From"] == SMS_NUMBER for m in sent)
    assert all(m["StatusCallback"] == "http://testserver/webhooks/twilio/status" for m in sent)
    text = " ".join(m["Body"] for m in sent)
    assert "1002" in text
    assert "http://testserver/hub/orders/1002" in text
    (conv,) = channels.conversations()
    assert conv.channel == "sms"
    assert conv.customer_id is not None
    roles = [(m.role, m.channel) for m in channels.transcript(conv.id)]
    assert roles == [("shopper", "sms"), ("agent", "sms")]
    rows = channels.outbox("sms")
    assert all(row.provider_ref and row.provider_ref.startswith("SM") for row in rows)


def test_unsigned_or_forged_requests_are_refused(channels: Channels) -> None:
    params = inbound_params(AVA_PHONE, "Where is my order?")
    unsigned = channels.post_twilio("/webhooks/twilio/messages", params, sign=False)
    assert unsigned.status_code == 403
    forged = channels.client.post(
        "/webhooks/twilio/messages",
        data=params,
        headers={
            "X-Twilio-Signature": twilio_signature(
                "not-the-token", "http://testserver/webhooks/twilio/messages", params
            )
        },
    )
    assert forged.status_code == 403
    url = "http://testserver/webhooks/twilio/messages"
    tampered = {**params, "Body": "Cancel order 1001"}
    resigned = channels.client.post(
        url,
        data=tampered,
        headers={"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)},
    )
    assert resigned.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert channels.inbound() == []
    assert channels.outbox() == []


def test_replayed_message_sid_gets_no_second_reply(channels: Channels) -> None:
    first = channels.sms(AVA_PHONE, "Where is my order 1002?")
    params = channels.last_params
    replay = channels.post_twilio("/webhooks/twilio/messages", params)
    assert first.status_code == replay.status_code == 200
    channels.deliver()
    bodies = channels.sent_bodies(AVA_PHONE)
    assert len(channels.inbound()) == 1
    again = channels.post_twilio("/webhooks/twilio/messages", params)
    assert again.status_code == 200
    channels.deliver()
    assert channels.sent_bodies(AVA_PHONE) == bodies
    (conv,) = channels.conversations()
    assert len(channels.transcript(conv.id)) == 2


def test_malformed_bodies_are_rejected_clearly(channels: Channels) -> None:
    url = "http://testserver/webhooks/twilio/messages"
    not_utf8 = channels.client.post(
        url,
        content=b"Body=\xff\xfe&From=%2B31",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status_code == 400
    params = {"Body": "hi", "AccountSid": "AC1"}  # signed, but no MessageSid or From
    missing = channels.post_twilio("/webhooks/twilio/messages", params)
    assert missing.status_code == 400
    assert missing.json()["title"] == "Malformed message"
    huge = channels.client.post(
        url,
        content=b"Body=" + b"a" * 70_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413


def test_unknown_sender_gets_the_normal_flow(channels: Channels) -> None:
    channels.sms(STRANGER_PHONE, "I want to cancel my order")
    channels.deliver()
    (conv,) = channels.conversations()
    assert conv.customer_id is None
    text = " ".join(channels.sent_bodies(STRANGER_PHONE))
    assert "email" in text.lower()
    # The code goes by email to the address the shopper names, then they type it in the SMS.
    channels.sms(STRANGER_PHONE, "ava@example.com")
    channels.deliver()
    (mail,) = channels.smtp.messages
    assert mail.rcpt_tos == ["ava@example.com"]
    code = next(w for w in mail.message["Subject"].split() if w.isdigit() and len(w) == 6)
    channels.sms(STRANGER_PHONE, code)
    channels.deliver()
    (conv,) = channels.conversations()
    assert conv.customer_id is not None


def test_numbered_options_map_back_to_the_buttons(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "I want to talk to a human")
    channels.deliver()
    offer = channels.sent_bodies(AVA_PHONE)[-1]
    assert "1 - " in offer
    assert "2 - " in offer
    channels.sms(AVA_PHONE, "1")
    channels.deliver()
    (conv,) = channels.conversations()
    shopper = [m for m in channels.transcript(conv.id) if m.role == "shopper"]
    assert shopper[-1].action == "handoff:yes"
    assert conv.status == "handed_off"  # SMS reaches the shopper: handed over at once


def test_picture_without_text_gets_a_clear_answer(channels: Channels) -> None:
    channels.sms(
        AVA_PHONE,
        "",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1",
        MediaContentType0="image/jpeg",
    )
    channels.deliver()
    (body,) = channels.sent_bodies(AVA_PHONE)
    assert "only read text" in body
    (row,) = channels.inbound()
    assert row.payload["media"][0]["type"] == "image/jpeg"


def test_message_in_an_unsupported_language_is_kept_and_answered(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Buongiorno, dov'è il mio ordine? Non è ancora arrivato a casa")
    channels.deliver()
    text = " ".join(channels.sent_bodies(AVA_PHONE))
    assert "English, Deutsch, Nederlands, Svenska" in text
    (conv,) = channels.conversations()
    transcript = channels.transcript(conv.id)
    assert transcript[0].text.startswith("Buongiorno")
    assert transcript[1].meta["outcome"] == "unsupported_language"
