"""A help centre in six languages: translations linked, quoted in the shopper's language, and
flagged as outdated when another member of their group changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.conftest import Chat, block, text_of

from deskhand.db import models
from deskhand.knowledge.articles import DEMO_ARTICLES
from deskhand.knowledge.consistency import check_consistency
from deskhand.knowledge.index import index_for
from deskhand.knowledge.ingest import ingest_file, store_document
from deskhand.knowledge.parsers import IngestError, parse_markdown
from deskhand.knowledge.retrieval import search
from deskhand.knowledge.translations import memberships, outdated_translations

LANGS = ("en", "de", "nl", "sv", "fr", "es")
PAYMENT = {  # (question, title of the article quoted, words of its passage)
    "en": ("Which payment methods do you accept?", "Payment methods", "All prices are in euros"),
    "de": ("Welche Zahlungsarten akzeptiert ihr?", "Zahlungsarten", "Alle Preise sind in Euro"),
    "nl": (
        "Welke betaalmethoden accepteren jullie?",
        "Betaalmethoden",
        "Alle prijzen zijn in euro",
    ),
    "sv": ("Vilka betalningssätt tar ni emot?", "Betalningssätt", "Alla priser är i euro"),
    "fr": (
        "Quels moyens de paiement acceptez-vous ?",
        "Moyens de paiement",
        "Tous les prix sont en euros",
    ),
    "es": ("¿Qué formas de pago aceptáis?", "Formas de pago", "Todos los precios están en euros"),
}
SLUG = {"en": "payment", **{lang: f"payment-{lang}" for lang in LANGS[1:]}}


def _edit(session: Session, brand: models.Brand, source: str, path: str, extra: str) -> None:
    text = (DEMO_ARTICLES / path).read_text(encoding="utf-8") + extra
    store_document(
        session,
        brand,
        parse_markdown(path, text),
        source=source,
        language=path.split("/")[0] if "/" in path else "en",
        now=datetime.now(UTC),
    )


def test_the_demo_help_centre_is_in_six_languages_linked_and_up_to_date(
    session: Session, brand: models.Brand
) -> None:
    articles = session.query(models.Article).filter_by(brand_id=brand.id).all()
    linked = memberships(session, brand.id)
    groups: dict[str, set[str]] = {}
    for a in articles:
        groups.setdefault(linked[a.id].group, set()).add(a.language)
    assert groups == {
        slug: set(LANGS)
        for slug in (
            "order-changes-and-cancellation",
            "payment",
            "returns-and-exchanges",
            "shipping",
        )
    }
    assert outdated_translations(session, brand.id) == []
    # Every translation states the same policy as the rules: no contradiction, no gap.
    assert check_consistency(session, brand, datetime.now(UTC)) == []


def test_a_change_to_one_article_flags_its_translations_until_they_catch_up(
    session: Session, brand: models.Brand
) -> None:
    _edit(session, brand, "demo:payment.md", "payment.md", "\n\n## Vouchers\nWe now sell vouchers.")
    behind = outdated_translations(session, brand.id)
    assert sorted(t.language for t in behind) == ["de", "es", "fr", "nl", "sv"]
    assert all(t.group == "payment" and t.newer == ("Payment methods",) for t in behind)
    findings = check_consistency(session, brand, datetime.now(UTC))
    flagged = [f for f in findings if f.kind == "outdated_translation"]
    assert len(flagged) == 5
    assert any('"Zahlungsarten" (de)' in f.message for f in flagged)
    # The German translation catches up: it is no longer flagged, and the English is not.
    _edit(session, brand, "demo:de/payment.md", "de/payment.md", "\n\n## Gutscheine\nNeu.")
    behind = outdated_translations(session, brand.id)
    assert sorted(t.language for t in behind) == ["es", "fr", "nl", "sv"]
    # An outdated translation is not quoted while an up-to-date one says the same.
    result = search(session, brand.id, PAYMENT["fr"][0], language="fr")
    assert result.best is not None
    assert not result.best.article.outdated
    assert index_for(session, brand.id).articles[result.best.article.id].language != "fr"


@pytest.mark.parametrize("lang", LANGS)
def test_the_answer_quotes_the_article_in_the_shoppers_language(
    client: TestClient, lang: str
) -> None:
    question, title, words = PAYMENT[lang]
    reply = Chat(client, locale=lang).send(text=question)
    assert reply["language"] == lang
    assert reply["meta"]["outcome"] == "answered"
    text = text_of(reply)
    assert words in text
    assert title in text
    assert block(reply, "sources")["articles"] == [
        {"title": title, "url": f"http://testserver/help/{SLUG[lang]}"}
    ]


def test_a_file_is_added_as_a_translation_of_an_article_by_its_slug(
    session: Session, brand: models.Brand, tmp_path: Path
) -> None:
    path = tmp_path / "zahlung-at.md"
    path.write_text(
        "# Zahlungsarten (Österreich)\n\n## Zahlungsarten\nWir akzeptieren auch EPS.\n",
        encoding="utf-8",
    )
    now = datetime.now(UTC)
    result = ingest_file(session, brand, path, language="de", now=now, translation_of="payment")
    assert memberships(session, brand.id)[result.article_id].group == "payment"
    with pytest.raises(IngestError):
        ingest_file(session, brand, path, language="de", now=now, translation_of="no-such-slug")
