"""Passages follow the headings, carry them, and stay small enough for e5."""

from __future__ import annotations

from deskhand.knowledge.chunking import MAX_WORDS, chunk_markdown


def test_each_section_is_a_passage_with_its_heading() -> None:
    passages = chunk_markdown(
        "Intro text that stands before any heading at all.\n\n"
        "## Refunds\nWe refund within five business days.\n\n"
        "## Who pays for return shipping?\nReturning is free within the EU.\n"
    )
    assert [(p.heading, p.anchor) for p in passages] == [
        ("", ""),
        ("Refunds", "refunds"),
        ("Who pays for return shipping?", "who-pays-for-return-shipping"),
    ]
    assert passages[1].embedded_text("Returns") == (
        "Returns: Refunds\nWe refund within five business days."
    )


def test_long_section_is_split_and_every_piece_keeps_the_heading() -> None:
    sentence = "Our warehouse packs every order with care and recycled paper. "
    passages = chunk_markdown("## Packaging\n" + sentence * 60)
    assert len(passages) > 1
    assert all(p.heading == "Packaging" for p in passages)
    assert all(len(p.text.split()) <= MAX_WORDS for p in passages)


def test_a_tiny_section_joins_the_next_instead_of_standing_alone() -> None:
    passages = chunk_markdown("## Note\nSee below.\n\n## Delivery\nParcels arrive in two days.\n")
    assert len(passages) == 1
    assert passages[0].heading == "Delivery"
    assert "See below." in passages[0].text
