"""The checker lists what the articles say against the rules, and the topics nobody covers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from deskhand.cli import main
from deskhand.db import models
from deskhand.knowledge.consistency import check_consistency, findings_for
from deskhand.knowledge.ingest import remove_articles, write_article


def kinds(session: Session, brand: models.Brand) -> set[tuple[str, str]]:
    return {(f.kind, f.facet) for f in findings_for(session, brand.id)}


def test_the_demo_help_centre_agrees_with_the_demo_rules(
    session: Session, brand: models.Brand
) -> None:
    assert findings_for(session, brand.id) == []


def test_an_article_with_other_windows_and_fees_is_listed_as_contradicting(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    write_article(
        session,
        brand,
        title="Old returns policy",
        body=(
            "## Returns\nYou can return items within 14 days of delivery. Refunds are paid "
            "within 10 business days.\n\n## Cancelling\nCancelling is free within 1 hour; "
            "after that the cancellation fee is EUR 7.50.\n\n## Vouchers\nVouchers are "
            "welcome. Gift cards cannot be returned, and neither can final-sale items."
        ),
        now=now,
    )
    found = {(f.facet, f.expected, f.found) for f in findings_for(session, brand.id)}
    assert ("return_window", "30 days", "14 days") in found
    assert ("refund_time", "5 business days", "10 business days") in found
    assert ("cancellation_window", "2 hours", "1 hours") in found
    assert ("cancellation_fee", "EUR 5.00", "EUR 7.50") in found
    contradiction = next(f for f in findings_for(session, brand.id) if f.facet == "return_window")
    assert contradiction.article_title == "Old returns policy"
    assert "14 days" in contradiction.excerpt


def test_a_german_article_is_checked_too(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    write_article(
        session,
        brand,
        title="Rückgabe",
        body="## Rückgabefrist\nDu kannst Artikel innerhalb von 60 Tagen zurücksenden.",
        language="de",
        now=now,
    )
    assert ("contradiction", "return_window") in kinds(session, brand)


def test_changed_rules_turn_the_articles_outdated(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    brand.policy = {**brand.policy, "return_window_days": 14, "return_excluded": ["gift_card"]}
    found = check_consistency(session, brand, now)
    messages = [f.message for f in found]
    assert any("return window" in m and "14 days" in m for m in messages)
    assert any("final-sale items cannot be returned" in m for m in messages)


def test_removing_the_cancellation_article_reports_missing_topics(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    for suffix in ("", "-de", "-nl", "-sv", "-fr", "-es"):  # the article and its translations
        remove_articles(session, brand, f"order-changes-and-cancellation{suffix}", now=now)
    missing = {f.facet for f in findings_for(session, brand.id) if f.kind == "missing_topic"}
    # ("order_changes" stays covered: the Spanish returns article's "cambios", exchanges,
    # reads as changing to the checker's word stems.)
    assert "cancellation" in missing
    brand.policy = {**brand.policy, "hub_enabled": False}  # Order Editing off: not needed
    found = check_consistency(session, brand, now)
    assert not {f.facet for f in found if f.kind == "missing_topic"} & {"cancellation"}


def test_kb_cli_adds_lists_searches_checks_and_removes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskhand.config import Settings
    from deskhand.demo import prepare_database

    prepare_database(Settings(demo=True, data_dir=tmp_path))
    data = ["--data-dir", str(tmp_path)]
    article = tmp_path / "old-returns.md"
    article.write_text("# Old returns\n\n## Window\nReturn items within 14 days of delivery.\n")
    assert main(["kb", "add", str(article), *data]) == 0
    out = capsys.readouterr().out
    assert "added" in out
    assert "1 contradiction(s)" in out
    assert main(["kb", "list", *data]) == 0
    assert "Old returns" in capsys.readouterr().out
    assert main(["kb", "search", "wer zahlt die Rücksendung?", "--k", "2", *data]) == 0
    out = capsys.readouterr().out
    assert "Wer zahlt den Rückversand?" in out  # the German translation of the article
    assert "question language de" in out
    assert main(["kb", "check", *data]) == 1  # a contradiction: non-zero for scripts
    assert "the rules say 30 days, the article 14 days" in capsys.readouterr().out
    assert main(["kb", "remove", str(article), *data]) == 0
    assert "removed   Old returns" in capsys.readouterr().out
    assert main(["kb", "check", *data]) == 0
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main(["kb", "add", str(empty), *data]) == 1
    captured = capsys.readouterr()
    assert "error: empty.pdf: the file is empty" in captured.err
    assert "nothing was changed" in captured.out
