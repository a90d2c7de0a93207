"""Answers that lead with the figure, worked out from the brand's shipping rules, then cite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat, block, text_of

from deskhand.agent.replies.wording import Wording
from deskhand.agent.skills.destinations import named, to_place
from deskhand.agent.understand.figures import read_figure_question
from deskhand.db import models
from deskhand.domain.shipping import (
    PolicyError,
    ShippingRate,
    rates_from_json,
    shipping_quote,
)
from deskhand.knowledge.consistency import check_consistency

RATES = (ShippingRate("NL", 495, 5000), ShippingRate("EU", 795, 5000))
TIMES = (("NL", 1, 2), ("EU", 3, 5))

# (question, how the answer starts, words of the cited passage, the article's title)
FIGURES = {
    "en": (
        "how much is shipping to Germany for a 30 euro order?",
        "Shipping to Germany for an order of €30.00 costs €4.95.",
        "Shipping is free on orders over EUR 50",
        "Shipping and delivery times",
    ),
    "de": (
        "Was kostet der Versand nach Belgien?",
        "Der Versand nach Belgien kostet 4,95\xa0€. Ab einem Bestellwert über 50,00\xa0€",
        "Ab einem Bestellwert über 50 EUR ist der Versand kostenlos",
        "Versand und Lieferzeiten",
    ),
    "nl": (
        "Wat kost verzending naar Duitsland bij een bestelling van 60 euro?",
        "Verzending naar Duitsland is gratis bij een bestelling van €\xa060,00.",
        "Verzending is gratis bij bestellingen boven 50 EUR",
        "Verzending en levertijden",
    ),
    "sv": (
        "Hur lång tid tar leveransen till Frankrike?",
        "Leveransen till Frankrike tar 3–5 arbetsdagar.",
        "tar 3-5 arbetsdagar",
        "Frakt och leveranstider",
    ),
    "fr": (
        "Vous livrez en Norvège ?",
        "Nous ne livrons pas en Norvège.",
        "Nous livrons dans tous les pays de l'Union européenne",
        "Livraison et délais",
    ),
    "es": (
        "¿Cuánto cuesta el envío a Italia para un pedido de 30 euros?",
        "El envío a Italia cuesta 7,95\xa0€ para un pedido de 30,00\xa0€.",
        "7,95 EUR al resto de la UE",
        "Envíos y plazos de entrega",
    ),
}


@pytest.mark.parametrize("lang", sorted(FIGURES))
def test_a_question_with_a_figure_gets_the_figure_first_then_the_cited_passage(
    client: TestClient, lang: str
) -> None:
    question, starts, passage, title = FIGURES[lang]
    reply = Chat(client, locale=lang).send(text=question)
    assert reply["meta"]["outcome"] == "answered"
    text = text_of(reply)
    assert text.startswith(starts), text
    assert passage in text
    assert text.index(passage) > len(starts)
    assert title in [a["title"] for a in block(reply, "sources")["articles"]]
    assert not [b for b in reply["blocks"] if b["type"] == "handoff_prompt"]


def test_the_figure_follows_the_rules_and_the_checker_flags_the_article(
    client: TestClient,
) -> None:
    with client.app.state.deskhand.sessions() as session:
        brand = session.query(models.Brand).one()
        rates = [r for r in brand.policy["shipping_rates"] if r["region"] != "DE"]
        rates.append({"region": "DE", "cost": 600, "free_over": 7500})
        brand.policy = {**brand.policy, "shipping_rates": rates}
        findings = check_consistency(session, brand, datetime.now(UTC))
        session.commit()
    messages = [f.message for f in findings if f.kind == "contradiction"]
    assert any("different shipping cost for DE" in m for m in messages)
    assert any("different free-shipping threshold" in m for m in messages)
    reply = Chat(client, locale="en").send(text="what does shipping to Germany cost?")
    assert text_of(reply).startswith("Shipping to Germany costs €6.00. Orders over €75.00")


def test_shipping_quotes_from_the_rules() -> None:
    de = shipping_quote("DE", 3000, RATES, TIMES)
    assert (de.ships, de.cost, de.min_days, de.max_days) == (True, 795, 3, 5)
    assert shipping_quote("NL", 5000, RATES, TIMES).cost == 495  # free only *over* 50
    assert shipping_quote("NL", 5001, RATES, TIMES).free
    assert not shipping_quote("NO", 3000, RATES, TIMES).ships
    assert shipping_quote("NL", None, RATES, TIMES).cost is None


@pytest.mark.parametrize(
    "bad",
    [
        "nope",
        [{"region": "XX", "cost": 100, "free_over": None}],
        [{"region": "NL", "cost": -1, "free_over": None}],
        [{"region": "NL", "cost": 4.95, "free_over": None}],
        [{"region": "NL", "cost": 495, "free_over": "50"}],
        [{"region": "NL", "cost": 495}, {"region": "NL", "cost": 100}],
        [{"region": "NL", "cost": 495, "extra": 1}],
    ],
)
def test_shipping_rates_in_the_policy_are_validated(bad: object) -> None:
    with pytest.raises(PolicyError):
        rates_from_json(bad)


@pytest.mark.parametrize(
    ("text", "country", "value"),
    [
        ("ok and how much is shipping to Germany for a 30 euro order", "DE", 3000),
        ("Was kostet der Versand nach Belgien?", "BE", None),
        ("hoeveel kost verzending naar Duitsland voor €45,50", "DE", 4550),
        ("Skickar ni till Norge?", "NO", None),
        ("Combien coûte la livraison aux Pays-Bas pour 20 € ?", "NL", 2000),
        ("¿hacéis envíos a Suiza?", "CH", None),
    ],
)
def test_figure_questions_are_read_in_six_languages(
    text: str, country: str, value: int | None
) -> None:
    ask = read_figure_question(text)
    assert ask is not None
    assert (ask.country, ask.order_value) == (country, value)


def test_a_question_without_a_place_or_a_sum_asks_no_figure() -> None:
    assert read_figure_question("Do you offer a student discount?") is None
    assert read_figure_question("how long does shipping take?") is None


# The preposition and article a country takes ("aux Pays-Bas", "in die Schweiz").
PLACES = {
    "fr": (
        ("Combien coûte la livraison au Danemark ?", "La livraison au Danemark coûte"),
        ("Vous livrez aux États-Unis ?", "Nous ne livrons pas aux États-Unis."),
        ("Combien coûte la livraison aux Pays-Bas ?", "La livraison aux Pays-Bas coûte"),
        ("Vous livrez en Belgique ?", "Oui, nous livrons en Belgique."),
    ),
    "de": (
        ("Liefert ihr in die Schweiz?", "Wir liefern leider nicht in die Schweiz."),
        ("Was kostet der Versand in die Niederlande?", "Der Versand in die Niederlande kostet"),
    ),
    "en": (("how much is shipping to the Netherlands?", "Shipping to the Netherlands costs"),),
    "es": (("¿Hacéis envíos al Reino Unido?", "No hacemos envíos al Reino Unido."),),
}


@pytest.mark.parametrize(
    ("lang", "question", "starts"),
    [(lang, q, s) for lang, pairs in PLACES.items() for q, s in pairs],
)
def test_the_figure_names_the_country_with_its_preposition(
    client: TestClient, lang: str, question: str, starts: str
) -> None:
    text = text_of(Chat(client, locale=lang).send(text=question))
    assert text.startswith(starts), text


@pytest.mark.parametrize(
    ("lang", "region", "to", "in_a_list"),
    [
        ("fr", "NL", "aux Pays-Bas", "les Pays-Bas"),
        ("fr", "DK", "au Danemark", "le Danemark"),
        ("fr", "BE", "en Belgique", "la Belgique"),
        ("fr", "DE", "en Allemagne", "l'Allemagne"),
        ("fr", "US", "aux États-Unis", "les États-Unis"),
        ("fr", "MT", "à Malte", "Malte"),
        ("fr", "EU", "dans le reste de l'UE", "le reste de l'UE"),
        ("de", "CH", "in die Schweiz", "die Schweiz"),
        ("de", "NL", "in die Niederlande", "die Niederlande"),
        ("de", "DE", "nach Deutschland", "Deutschland"),
        ("de", "EU", "in den Rest der EU", "den Rest der EU"),
        ("nl", "US", "naar de Verenigde Staten", "de Verenigde Staten"),
        ("nl", "NL", "naar Nederland", "Nederland"),
        ("en", "NL", "to the Netherlands", "the Netherlands"),
        ("es", "GB", "al Reino Unido", "el Reino Unido"),
        ("es", "EU", "al resto de la UE", "el resto de la UE"),
        ("sv", "NL", "till Nederländerna", "Nederländerna"),
    ],
)
def test_countries_take_their_preposition_and_article(
    lang: str, region: str, to: str, in_a_list: str
) -> None:
    w = Wording(lang, "Europe/Amsterdam")
    assert to_place(w, region) == to
    assert named(w, region) == in_a_list
