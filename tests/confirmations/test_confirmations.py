"""Every change and cancellation in the Hub is confirmed: email (text + HTML), SMS for an SMS
conversation, in the shopper's language, through the outbox, and told to their conversation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.db.models import LineItem, Order, Variant
from tests.fakes.channels import BEN_PHONE, Channels
from tests.hub.shopping import Shopper, csrf_in

CONFIRMATION = re.compile(r"^confirm:")


def confirmations(channels: Channels, kind: str | None = None) -> list:  # type: ignore[type-arg]
    return [
        r
        for r in channels.outbox(kind)
        if CONFIRMATION.match(r.idempotency_key) and (kind is None or r.kind == kind)
    ]


def ids(channels: Channels, number: str, title: str, sku: str) -> tuple[str, str]:
    engine = create_engine(channels.settings.resolved_database_url())
    with Session(engine) as db:
        item = db.scalar(
            select(LineItem.id)
            .join(Order, Order.id == LineItem.order_id)
            .where(Order.number == number, LineItem.title == title)
        )
        variant = db.scalar(select(Variant.id).where(Variant.sku == sku))
    engine.dispose()
    return str(item), str(variant)


def cancel(shopper: Shopper, number: str, lang: str = "en") -> None:
    page = shopper.get(f"/hub/orders/{number}/cancel?lang={lang}").text
    terms = re.search(r'name="terms" value="([^"]+)"', page)
    assert terms
    r = shopper.client.post(
        f"/hub/orders/{number}/cancel",
        data={"csrf": csrf_in(page), "terms": terms.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def swap_jacket(shopper: Shopper, channels: Channels, lang: str = "en") -> None:
    item, variant = ids(channels, "1001", "Trail Jacket", "TJ-L-OLV")
    shopper.get(f"/hub/orders/1001/edit?lang={lang}")
    r = shopper.form(
        "/hub/orders/1001/edit", "/hub/orders/1001/edit/variant", {"item": item, "variant": variant}
    )
    assert r.status_code == 303, r.text


def test_a_cancellation_in_the_hub_is_confirmed_by_email_with_fee_refund_and_link(
    channels: Channels,
) -> None:
    ben = Shopper(channels.client)
    ben.sign_in("ben@example.com")
    cancel(ben, "1004")
    [row] = confirmations(channels)
    assert (row.kind, row.recipient, row.status) == ("email", "ben@example.com", "pending")
    assert row.subject == "Your order #1004 has been cancelled"
    assert "Hello Ben, you cancelled order #1004 in the Customer Hub on" in row.body
    assert "Amsterdam time" in row.body
    assert "Cancellation fee: €5.00" in row.body
    assert "Refund: €203.00, within 5 business days" in row.body
    assert f"{channels.settings.base_url}/hub/orders/1004?lang=en" in row.body
    html = row.payload["html"]
    assert "Cancellation fee: €5.00" in html
    assert f'href="{channels.settings.base_url}/hub/orders/1004?lang=en"' in html
    assert "#2f6b4f" in html  # the brand's colour, as in the widget and the Hub
    # Through the SMTP fake: one multipart/alternative message, both parts.
    assert channels.deliver()  # the code email and the confirmation
    [sent] = [m for m in channels.smtp.messages if "#1004" in m.message["Subject"]]
    message = sent.message
    assert sent.rcpt_tos == ["ben@example.com"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    body = message.get_body(("html",)).get_content()
    assert "Cancellation fee: €5.00" in text
    assert "Refund: €203.00" in body
    assert message["From"].addresses[0].display_name == "Fjord & Finch"


SUBJECTS = {
    "en": "Your order #1001 has been changed",
    "de": "Deine Bestellung #1001 wurde geändert",
    "nl": "Je bestelling #1001 is gewijzigd",
    "sv": "Din order #1001 har ändrats",
    "fr": "Votre commande #1001 a été modifiée",
    "es": "Tu pedido #1001 se ha modificado",
}


@pytest.mark.parametrize("lang", list(SUBJECTS))
def test_a_change_is_confirmed_in_the_shoppers_language(channels: Channels, lang: str) -> None:
    ava = Shopper(channels.client)
    ava.sign_in("ava@example.com")
    swap_jacket(ava, channels, lang)
    [row] = confirmations(channels)
    w = Wording(lang, "Europe/Amsterdam")
    assert row.subject == SUBJECTS[lang]
    changed = w.t("hub.history.swap", item="Trail Jacket", before="M / Navy", after="L / Olive")
    assert changed in row.body
    assert w.t("hub.name") in row.body  # the portal under its name in this language
    assert w.zone_name in row.body  # the time, with its zone named
    assert f"/hub/orders/1001?lang={lang}" in row.body
    channels.deliver()
    [sent] = [m for m in channels.smtp.messages if m.message["Subject"] == SUBJECTS[lang]]
    html = sent.message.get_body(("html",)).get_content()
    assert f'<html lang="{lang}">' in html
    assert changed.replace("/", "/") in html


def test_an_sms_conversation_gets_the_confirmation_by_text_too_and_hears_of_it(
    channels: Channels,
) -> None:
    assert channels.sms(BEN_PHONE, "Where is my order 1004?").status_code == 200
    ben = Shopper(channels.client)
    ben.sign_in("ben@example.com")
    cancel(ben, "1004")
    [sms] = confirmations(channels, "sms")
    assert sms.recipient == BEN_PHONE
    assert sms.body.startswith("Fjord & Finch: order #1004 cancelled. Fee €5.00, refund €203.00.")
    assert "/hub/orders/1004?lang=en" in sms.body
    assert len(sms.body) <= 300
    [email] = confirmations(channels, "email")
    assert email.recipient == "ben@example.com"
    [conv] = channels.conversations()
    last = channels.transcript(conv.id)[-1]
    assert (last.role, last.meta["outcome"]) == ("agent", "changed_in_hub")
    assert "you cancelled order #1004" in last.blocks[0]["text"]


def test_a_refused_change_sends_nothing(channels: Channels) -> None:
    ava = Shopper(channels.client)
    ava.sign_in("ava@example.com")
    r = ava.form(
        "/hub/orders/1001/edit", "/hub/orders/1001/edit/variant", {"item": "1", "variant": "x"}
    )
    assert r.status_code == 422
    assert confirmations(channels) == []


CANCELLED = {
    "en": ("Your order #1004 has been cancelled", "Cancellation fee: €5.00"),
    "de": ("Deine Bestellung #1004 wurde storniert", "Stornogebühr: 5,00 €"),
    "nl": ("Je bestelling #1004 is geannuleerd", "Annuleringskosten: € 5,00"),
    "sv": ("Din order #1004 har avbeställts", "Avbeställningsavgift: 5,00 €"),
    "fr": ("Votre commande #1004 a été annulée", "Frais d'annulation : 5,00 €"),
    "es": ("Tu pedido #1004 se ha cancelado", "Cargo por cancelación: 5,00 €"),
}


@pytest.mark.parametrize("lang", list(CANCELLED))
def test_a_cancellation_is_confirmed_in_the_shoppers_language_through_smtp(
    channels: Channels, lang: str
) -> None:
    ben = Shopper(channels.client)
    ben.sign_in("ben@example.com")
    cancel(ben, "1004", lang)
    subject, fee = CANCELLED[lang]
    [row] = confirmations(channels)
    assert row.subject == subject
    channels.deliver()
    [sent] = [m for m in channels.smtp.messages if m.message["Subject"] == subject]
    text = sent.message.get_body(("plain",)).get_content()
    html = sent.message.get_body(("html",)).get_content()
    assert fee.replace("\u00a0", " ") in text.replace("\u00a0", " ")
    assert fee.replace("\u00a0", " ") in html.replace("\u00a0", " ").replace("&#39;", "'")
    assert f"/hub/orders/1004?lang={lang}" in text
