"""Products in the shopper's words, pointers at orders, tidied messages, and the brand's own
synonyms (the pieces behind tests/agent/test_dialogue_context.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.conftest import Chat

from deskhand.agent.products import ProductIndex, product_index
from deskhand.agent.understand.cues import placed_on, read_cues
from deskhand.agent.understand.hygiene import tidy
from deskhand.agent.understand.places import with_country
from deskhand.agent.understand.product_words import mentions
from deskhand.bench import product_refs
from deskhand.cli import main as cli_main
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.product_synonyms import add_synonym, synonyms_of
from deskhand.db.session import make_sessionmaker
from deskhand.domain.catalogue import CatalogueProduct
from deskhand.domain.vocabulary import Intent

KETTLE_WORDS = ("kettle", "Wasserkocher", "waterkoker", "vattenkokaren", "bouilloire", "hervidor")
BEANIE_WORDS = ("beanie", "Mütze", "muts", "mössan", "bonnet", "gorro")


@pytest.mark.parametrize("word", KETTLE_WORDS)
def test_a_kettle_in_six_languages(word: str) -> None:
    assert "kettle" in mentions(f"the one with the {word}").products


@pytest.mark.parametrize("word", BEANIE_WORDS)
def test_a_beanie_in_six_languages(word: str) -> None:
    assert mentions(word).products == {"beanie"}


def test_everyday_words_name_no_product() -> None:
    for text in ("I want to cancel my order", "wo ist meine Bestellung", "ik wil wijzigen"):
        assert not mentions(text).products, text


def test_the_index_names_lines_and_prefers_more_words_of_the_title() -> None:
    products = product_refs.large_catalogue()
    index = ProductIndex(products, {})
    assert index.titles_named("the rain jacket") == ["Harbour Rain Jacket"]
    assert index.titles_named("das T-Shirt") == ["Basic Tee"]
    assert index.titles_named("the toaster") == []


def test_the_index_is_built_once_per_catalogue_version() -> None:
    one = [CatalogueProduct(1, "Travel Kettle"), CatalogueProduct(2, "Rain Hat")]
    first = product_index(999, one)
    assert product_index(999, list(one)) is first
    changed = [*one, CatalogueProduct(3, "Wool Socks")]
    assert product_index(999, changed) is not first
    assert product_index(999, one, {"Rain Hat": ["sou'wester"]}) is not first


def test_a_brand_synonym_names_its_product() -> None:
    one = [CatalogueProduct(1, "Travel Kettle"), CatalogueProduct(2, "Rain Hat")]
    assert ProductIndex(one, {}).titles_named("de theekoker") == []
    index = ProductIndex(one, {"Travel Kettle": ["theekoker"]})
    assert index.titles_named("de theekoker") == ["Travel Kettle"]


def test_product_references_per_language_reach_the_order_line() -> None:
    """The reference set (>= 40 per language over two catalogues): the line meant is found."""
    scores = product_refs.measure()
    for lang, score in scores.items():
        assert score.total >= 40, lang
        assert score.lines_right / score.lines_total >= 0.9, (lang, score.misses)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("the second one", 1),
        ("die erste", 0),
        ("de tweede", 1),
        ("den första", 0),
        ("la deuxième", 1),
        ("el segundo", 1),
    ],
)
def test_positions_in_six_languages(text: str, position: int) -> None:
    assert read_cues(text, date(2026, 12, 4)).position == position


@pytest.mark.parametrize(
    "text",
    [
        "I just ordered",
        "ich habe gerade bestellt",
        "ik heb net een bestelling geplaatst",
        "jag beställde precis",
        "je viens de commander",
        "acabo de hacer un pedido",
    ],
)
def test_just_ordered_in_six_languages(text: str) -> None:
    assert read_cues(text, date(2026, 12, 4)).newest


def test_days_and_states() -> None:
    today = date(2026, 12, 4)  # a Friday
    assert read_cues("my order from yesterday", today).day == date(2026, 12, 3)
    assert read_cues("la commande d'hier", today).day == date(2026, 12, 3)
    assert read_cues("ik wil hier iets veranderen", today).day is None  # Dutch "here"
    assert read_cues("the one from Monday", today).weekday == 0
    assert read_cues("el del lunes", today).weekday == 0
    assert read_cues("die, die schon unterwegs ist", today).on_its_way
    assert read_cues("and when will the other one arrive?", today).other


@pytest.mark.parametrize(
    ("said", "closing"),
    [
        ("thanks, bye!", Intent.GOODBYE),
        ("danke, tschüss", Intent.GOODBYE),
        ("dank je wel, fijne dag", Intent.GOODBYE),
        ("tack så mycket, ha det bra", Intent.THANKS),
        ("merci beaucoup, bonne journée", Intent.THANKS),
        ("muchas gracias, hasta luego", Intent.GOODBYE),
    ],
)
def test_closings_in_six_languages(said: str, closing: Intent) -> None:
    assert tidy(said).closing == closing


def test_discourse_words_never_make_a_question() -> None:
    assert (
        tidy("ok and how much is shipping to Germany?").text == "how much is shipping to Germany?"
    )
    assert tidy("alors, combien coûte la livraison ?").text == "combien coûte la livraison ?"
    assert tidy("hmm").discourse_only
    assert tidy("ah ok").discourse_only
    assert tidy("thanks, where is my order?").closing is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("cancle my order", "cancel my order"),
        ("wie lange dauert der Vesrand?", "wie lange dauert der Versand?"),
        ("retourneren van mijn bestellnig", "retourneren van mijn bestelling"),
        ("avbryta min beställnig", "avbryta min beställning"),
        ("je veux anuler ma commade", "je veux annuler ma commande"),
        ("quiero devolver mi pdido", "quiero devolver mi pedido"),
    ],
)
def test_typos_of_the_domain_in_six_languages(typed: str, read: str) -> None:
    assert tidy(typed).text == read


def test_real_words_and_names_are_not_corrected() -> None:
    for text in ("die erste bitte", "je viens de commander", "Hi, Chloé here"):
        assert tidy(text).text == text


def test_a_follow_up_asks_the_last_question_about_the_new_country() -> None:
    assert with_country("Do you ship to Norway?", "and to Belgium?") == "Do you ship to Belgium?"
    assert with_country("Do you ship to Norway?", "and the socks?") is None


def test_synonyms_are_added_by_the_cli_and_used_in_a_conversation(
    client: TestClient, settings: Settings, demo_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKHAND_DATABASE_URL", settings.resolved_database_url())
    assert cli_main(["synonyms", "add", "travel kettle", "theekoker"]) == 0
    assert cli_main(["synonyms", "add", "No Such Thing", "ding"]) == 1
    with make_sessionmaker(demo_db)() as session:
        brand = session.scalars(select(models.Brand)).one()
        assert synonyms_of(session, brand.id) == {"Travel Kettle": ["theekoker"]}
    chat = Chat(client, locale="nl")
    chat.send(text="ik wil mijn bestelling annuleren")
    chat.verify("ben@example.com")
    reply = chat.send(text="die met de theekoker")
    cards = [b["order"]["number"] for b in reply["blocks"] if b["type"] == "order_card"]
    assert cards == ["1006"]


def test_adding_a_synonym_twice_keeps_one(session: Session) -> None:
    brand = session.scalars(select(models.Brand)).one()
    now = datetime.now(UTC)
    assert add_synonym(session, brand.id, "Rain Hat", "zuidwester", now)
    assert not add_synonym(session, brand.id, "Rain Hat", "zuidwester", now)
    assert synonyms_of(session, brand.id) == {"Rain Hat": ["zuidwester"]}


@pytest.mark.parametrize(
    "text",
    [
        "I want another size",
        "kann ich eine andere Farbe haben",
        "une autre taille svp",
        "quiero otra talla",
        "when will it be shipped?",
        "I haven't received my order",
        "is this the first time you ship to Norway with a heavy parcel like mine",
    ],
)
def test_words_that_point_at_no_order(text: str) -> None:
    cues = read_cues(text, date(2026, 12, 4))
    assert not cues.other
    assert not cues.on_its_way
    assert not cues.arrived
    assert cues.position is None


def test_just_after_midnight_today_still_means_the_order_of_a_moment_ago() -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    now = datetime(2026, 12, 4, 23, 10, tzinfo=UTC)  # 00:10 on the 5th in Amsterdam
    today = now.astimezone(tz).date()
    half_an_hour_ago = datetime(2026, 12, 4, 22, 40, tzinfo=UTC)  # 23:40 on the 4th there
    assert placed_on(half_an_hour_ago, today, tz, now=now)
    assert not placed_on(half_an_hour_ago, today, tz)  # without the clock: by date alone
    assert not placed_on(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), today, tz, now=now)
    assert not placed_on(half_an_hour_ago, today, tz, morning=True, now=now)
