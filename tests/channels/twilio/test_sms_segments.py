"""SMS splitting: GSM-7 160/153, UCS-2 70/67, numbered parts only when needed, URLs whole."""

from __future__ import annotations

import pytest
from tests.fakes.channels import AVA_PHONE, Channels

from deskhand.channels.twilio.segments import (
    segments,
    smart_encode,
    split_sms,
    split_whatsapp,
)

URL = "https://shop.example/hub/orders/1001/edit?lang=en&t=0y7m-jeQ1X6dwHN-1KFQ7Rf1Fqz_wW5x6LBF7Gady08"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets
        ("€" * 81, 2),
        ("ä" * 160, 1),  # in the GSM basic set
        ("ç" * 70, 1),  # not in GSM-7: UCS-2
        ("ç" * 71, 2),
        ("ç" * 134, 2),
        ("ç" * 135, 3),
        ("😀" * 35, 1),  # two UTF-16 units each
        ("😀" * 36, 2),
    ],
)
def test_segment_counts_follow_the_encoding(text: str, expected: int) -> None:
    assert segments(text) == expected


def test_typographic_punctuation_does_not_force_ucs2() -> None:
    text = smart_encode("Danke, Ava – du bist jetzt verifiziert… „Bestellung“ → Hub")
    assert segments(text) == 1
    assert "–" not in text
    assert "…" not in text


def test_short_reply_is_one_message_without_numbering() -> None:
    assert split_sms("Your order ships tomorrow.", 1) == ["Your order ships tomorrow."]


def test_long_reply_is_split_into_numbered_parts_within_the_budget() -> None:
    text = ("Your order is on its way with PostNL. " * 6).strip() + f"\n\nEdit order: {URL}"
    parts = split_sms(text, 1)
    assert len(parts) > 1
    assert all(p.endswith(f"({i}/{len(parts)})") for i, p in enumerate(parts, start=1))
    assert all(segments(p) == 1 for p in parts)
    assert any(URL in p for p in parts)  # the link is never cut


def test_a_url_longer_than_a_segment_stays_whole() -> None:
    long_url = "https://shop.example/hub/" + "x" * 200
    parts = split_sms(f"Open this link: {long_url}", 1)
    assert any(long_url in p for p in parts)


def test_unicode_reply_uses_the_ucs2_budget() -> None:
    text = "Votre commande a été expédiée aujourd'hui, ça arrive bientôt. " * 3
    parts = split_sms(text, 1)
    assert len(parts) > 1
    assert all(segments(p) == 1 for p in parts)


def test_whatsapp_splits_only_past_1600_characters() -> None:
    assert len(split_whatsapp("word " * 300)) == 1
    parts = split_whatsapp("word " * 400)
    assert len(parts) == 2
    assert all(len(p) <= 1600 for p in parts)


def test_reply_over_the_segment_budget_arrives_as_ordered_parts(channels: Channels) -> None:
    channels.settings.sms_max_segments = 1
    channels.sms(AVA_PHONE, "Where is my order 1002?")
    channels.deliver()
    bodies = channels.sent_bodies(AVA_PHONE)
    assert len(bodies) > 1
    assert [b.rsplit("(", 1)[1] for b in bodies] == [
        f"{i}/{len(bodies)})" for i in range(1, len(bodies) + 1)
    ]
    assert all(segments(b) == 1 or "http" in b for b in bodies)
    assert any("/hub/orders/1002/track" in b for b in bodies)
