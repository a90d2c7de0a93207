"""Inbound email through a signed Mailgun webhook, answered over SMTP with threading headers."""

from __future__ import annotations

import time

from sqlalchemy import select
from tests.fakes.channels import AVA_PHONE, SENDGRID_SECRET, Channels
from tests.fakes.fake_mail import mailgun_fields

from deskhand.db.models import EmailMessageId
from deskhand.db.session import transaction

GERMAN_REPLY = """Hallo,

kann ich die Größe meiner letzten Bestellung noch ändern?

Viele Grüße
Ben

Am Mo., 23. Nov. 2026 um 10:00 Uhr schrieb Fjord & Finch <help@fjordfinch.example>:
> Hi Ben, thanks for your order #1004!
> If you have questions, just reply.
"""


def _text_and_html(message) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_german_reply_is_stripped_and_answered_in_thread(channels: Channels) -> None:
    r = channels.email(
        sender="Ben Müller <ben@example.com>",
        subject="Re: Deine Bestellung #1004",
        body_plain=GERMAN_REPLY,
        message_id="<reply-1@mail.example>",
        in_reply_to="<order-1004@fjordfinch.example>",
        references="<order-1004@fjordfinch.example>",
    )
    assert r.status_code == 200
    assert r.json() == {"status": "received"}
    (conv,) = channels.conversations()
    shopper = channels.transcript(conv.id)[0]
    assert shopper.text == "Hallo,\n\nkann ich die Größe meiner letzten Bestellung noch ändern?"
    assert shopper.channel == "email"
    assert conv.language == "de"
    channels.deliver()
    (mail,) = channels.smtp.messages
    message = mail.message
    assert mail.rcpt_tos == ["ben@example.com"]
    assert message["In-Reply-To"] == "<reply-1@mail.example>"
    assert message["References"] == "<order-1004@fjordfinch.example> <reply-1@mail.example>"
    assert message["Subject"] == "Re: Deine Bestellung #1004"
    assert message["Message-ID"].endswith("@fjordfinch.example>")
    assert message["Auto-Submitted"] == "auto-replied"
    assert message.get_content_type() == "multipart/alternative"
    text, html = _text_and_html(message)
    assert "Bestellung #" in text
    assert "http://testserver/hub/orders/" in text
    assert '<a href="http://testserver/hub/orders/' in html
    (row,) = channels.outbox("email")
    assert row.status == "sent"
    assert row.provider_ref == message["Message-ID"][:64]


def test_reply_to_our_email_continues_the_same_conversation(channels: Channels) -> None:
    channels.email(sender="ben@example.com", subject="Order", body_plain="Where is my order?")
    channels.deliver()
    ours = channels.smtp.messages[0].message["Message-ID"]
    channels.email(
        sender="ben@example.com",
        subject="Re: Order",
        body_plain=f"And can I cancel it?\n\nOn Mon wrote:\n> {ours}",
        in_reply_to=ours,
        references=ours,
    )
    channels.deliver()
    assert len(channels.conversations()) == 1
    second = channels.smtp.messages[1].message
    assert second["In-Reply-To"] != ours  # answers the shopper's newest mail
    assert ours in second["References"]


def test_html_only_email_is_read(channels: Channels) -> None:
    channels.email(
        sender="ava@example.com",
        subject="Question",
        body_plain=None,
        body_html=(
            "<html><body><div>Where is my order <b>1002</b>?</div>"
            '<div class="gmail_quote">On Mon, Fjord wrote:<blockquote>old</blockquote></div>'
            "</body></html>"
        ),
    )
    (row,) = channels.inbound()
    assert row.payload["html_only"] is True
    (conv,) = channels.conversations()
    assert channels.transcript(conv.id)[0].text == "Question\n\nWhere is my order 1002?"
    channels.deliver()
    text, _ = _text_and_html(channels.smtp.messages[0].message)
    assert "1002" in text


def test_forged_stale_and_replayed_webhooks_are_refused(channels: Channels) -> None:
    fields = mailgun_fields(sender="ava@example.com", subject="Hi", body_plain="Where is my order?")
    forged = dict(fields, signature="0" * 64)
    assert channels.client.post("/webhooks/email/mailgun", data=forged).status_code == 403
    unsigned = {k: v for k, v in fields.items() if k != "signature"}
    assert channels.client.post("/webhooks/email/mailgun", data=unsigned).status_code == 403
    stale = mailgun_fields(
        sender="ava@example.com", subject="Hi", body_plain="x", timestamp=int(time.time()) - 3600
    )
    assert channels.client.post("/webhooks/email/mailgun", data=stale).status_code == 403
    assert (
        channels.client.post("/webhooks/email/mailgun", data=fields).json()["status"] == "received"
    )
    replay = channels.client.post("/webhooks/email/mailgun", data=fields)
    assert replay.status_code == 200
    assert replay.json()["status"] == "duplicate"
    # Re-signed with a fresh token (as a provider retry would be): the Message-ID dedupes it.
    again = mailgun_fields(
        sender="ava@example.com", subject="Hi", body_plain="x", message_id=fields["Message-Id"]
    )
    assert (
        channels.client.post("/webhooks/email/mailgun", data=again).json()["status"] == "duplicate"
    )
    channels.deliver()
    assert len(channels.smtp.messages) == 1


def test_giant_email_with_attachments_is_truncated_and_kept(channels: Channels) -> None:
    body = "Where is my order 1002? " + "Lorem ipsum dolor sit amet. " * 20_000
    r = channels.email(
        sender="ava@example.com",
        subject="Long story",
        body_plain=body,
        files=[
            ("attachment-1", ("photo.jpg", b"\xff\xd8" + b"0" * 2_000_000, "image/jpeg")),
            ("attachment-2", ("invoice.pdf", b"%PDF-1.4" + b"1" * 10_000, "application/pdf")),
        ],
    )
    assert r.status_code == 200
    (row,) = channels.inbound()
    assert row.payload["full_text"] == body  # nothing lost
    assert row.payload["truncated"] is True
    assert [a["name"] for a in row.payload["attachments"]] == ["photo.jpg", "invoice.pdf"]
    assert row.payload["attachments"][0]["size"] == 2_000_002
    (conv,) = channels.conversations()
    assert len(channels.transcript(conv.id)[0].text) <= channels.settings.max_message_chars
    channels.deliver()
    text, _ = _text_and_html(channels.smtp.messages[0].message)
    assert "very long" in text
    assert "attachments" in text


def test_email_over_the_size_limit_is_refused_clearly(channels: Channels) -> None:
    too_big = channels.settings.email_max_bytes + 1024
    fields = mailgun_fields(sender="ava@example.com", subject="x", body_plain="y" * too_big)
    r = channels.client.post("/webhooks/email/mailgun", data=fields)
    assert r.status_code == 413
    assert r.json()["title"] == "Request too large"


def test_unknown_sender_gets_the_normal_flow(channels: Channels) -> None:
    channels.email(
        sender="stranger@example.org", subject="Cancel", body_plain="Please cancel my order"
    )
    channels.deliver()
    (conv,) = channels.conversations()
    assert conv.customer_id is None
    (mail,) = channels.smtp.messages
    assert mail.rcpt_tos == ["stranger@example.org"]
    text, _ = _text_and_html(mail.message)
    assert "email" in text.lower()


def test_failed_spf_does_not_count_as_verified(channels: Channels) -> None:
    channels.email(
        sender="ava@example.com",
        subject="Order",
        body_plain="Where is my order 1002?",
        extra_headers=[("X-Mailgun-Spf", "Fail"), ("X-Mailgun-Dkim-Check-Result", "Fail")],
    )
    (conv,) = channels.conversations()
    assert conv.customer_id is None


def test_out_of_office_replies_are_kept_but_never_answered(channels: Channels) -> None:
    channels.email(
        sender="ava@example.com",
        subject="Automatic reply: Re: Order",
        body_plain="I am out of the office until Monday.",
        extra_headers=[("Auto-Submitted", "auto-replied")],
    )
    channels.deliver()
    assert channels.smtp.messages == []
    (row,) = channels.inbound()
    assert row.status == "ignored"
    (conv,) = channels.conversations()
    assert channels.transcript(conv.id)[0].text.startswith("Automatic reply")


def test_message_in_an_unsupported_language_gets_a_clear_answer(channels: Channels) -> None:
    channels.email(
        sender="ava@example.com",
        subject="Ordine",
        body_plain="Buongiorno, dov'è il mio ordine? Non è ancora arrivato a casa mia.",
    )
    channels.deliver()
    text, _ = _text_and_html(channels.smtp.messages[0].message)
    assert "English, Deutsch" in text
    assert "1 - " in text  # a person can be asked for by number


def test_sms_then_email_is_one_conversation_with_both_channels(channels: Channels) -> None:
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.email(
        sender="Ava Jansen <ava@example.com>",
        subject="Order 1002",
        body_plain="Can I still cancel it?",
    )
    channels.deliver()
    (conv,) = channels.conversations()
    transcript = channels.transcript(conv.id)
    assert [(m.role, m.channel) for m in transcript] == [
        ("shopper", "sms"),
        ("agent", "sms"),
        ("shopper", "email"),
        ("agent", "email"),
    ]
    assert conv.channel == "sms"
    assert conv.customer_id is not None
    assert len(channels.twilio.sent) >= 1
    assert len(channels.smtp.messages) == 1
    api = channels.client.get(f"/api/v1/conversations/{conv.id}")
    assert api.status_code == 401  # the transcript API still needs the conversation's token


def test_sendgrid_inbound_parse_with_the_secret_path(channels: Channels) -> None:
    fields = {
        "headers": "Message-ID: <sg-1@mail.example>\nFrom: Chloe <chloe@example.com>\n"
        "Subject: Commande\n",
        "from": "Chloé Lefèvre <chloe@example.com>",
        "to": "help@fjordfinch.example",
        "subject": "Commande",
        "text": "Je voudrais annuler ma commande 1009.\n\n"
        "Le lun. 23 nov. 2026, Fjord a écrit :\n> ancien",
        "SPF": "pass",
        "dkim": "{@example.com : pass}",
        "envelope": '{"to":["help@fjordfinch.example"],"from":"chloe@example.com"}',
    }
    wrong = channels.client.post("/webhooks/email/sendgrid/wrong", data=fields)
    assert wrong.status_code == 403
    r = channels.client.post(f"/webhooks/email/sendgrid/{SENDGRID_SECRET}", data=fields)
    assert r.status_code == 200
    (conv,) = channels.conversations()
    assert (
        channels.transcript(conv.id)[0].text == "Commande\n\nJe voudrais annuler ma commande 1009."
    )
    channels.deliver()
    assert channels.smtp.messages[0].message["In-Reply-To"] == "<sg-1@mail.example>"


def test_email_without_a_sender_is_refused_with_406(channels: Channels) -> None:
    fields = mailgun_fields(sender="", subject="x", body_plain="hello")
    fields["from"] = fields["sender"] = "not an address"
    r = channels.client.post("/webhooks/email/mailgun", data=fields)
    assert r.status_code == 406


def test_threads_are_remembered(channels: Channels) -> None:
    channels.email(
        sender="ava@example.com",
        subject="Hi",
        body_plain="Where is my order?",
        message_id="<first@mail.example>",
    )
    channels.deliver()
    with transaction(channels.state.sessions) as session:
        ids = {(m.message_id, m.direction) for m in session.scalars(select(EmailMessageId))}
    assert ("<first@mail.example>", "in") in ids
    assert any(direction == "out" for _, direction in ids)
