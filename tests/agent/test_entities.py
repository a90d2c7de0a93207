"""Unit tests for the rule-based multilingual entity extractor."""

from __future__ import annotations

import dataclasses

import pytest

from deskhand.agent.understand.entities import Entities, extract_entities

P = pytest.param


# ----------------------------------------------------------------------------- order numbers
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("#1002", ("1002",), id="hash"),
        P("# 1002", ("1002",), id="hash-space"),
        P("where is order 1002?", ("1002",), id="en-order"),
        P("order #1002 please", ("1002",), id="en-order-hash"),
        P("order no. 1002", ("1002",), id="en-order-no"),
        P("order nr 1002", ("1002",), id="en-order-nr"),
        P("ordernumber 1002", ("1002",), id="en-ordernumber"),
        P("my order number is 1002", ("1002",), id="en-order-number-is"),
        P("oder 1002 hasn't arrived", ("1002",), id="en-typo-oder"),
        P("orders 1002 and 1003", ("1002", "1003"), id="en-list"),
        P("meine Bestellung 1002", ("1002",), id="de-bestellung"),
        P("Bestellnr. 1002", ("1002",), id="de-bestellnr"),
        P("Bestellnummer: 1002", ("1002",), id="de-bestellnummer"),
        P("bestelung 1002 ist falsch", ("1002",), id="de-typo-bestelung"),
        P("mijn bestelling 1002", ("1002",), id="nl-bestelling"),
        P("ordernummer 1002", ("1002",), id="nl-ordernummer"),
        P("min beställning 1002", ("1002",), id="sv-bestallning"),
        P("ordernr 1002", ("1002",), id="sv-ordernr"),
        P("ma commande 1002", ("1002",), id="fr-commande"),
        P("annuler ma commande n°1007 svp", ("1007",), id="fr-commande-n-degree"),
        P("commande no 1002", ("1002",), id="fr-commande-no"),
        P("numéro de commande 1002", ("1002",), id="fr-numero-de-commande"),
        P("mi pedido 1002", ("1002",), id="es-pedido"),
        P("pedido nº 1002", ("1002",), id="es-pedido-n-ordinal"),
        P("pedido n.º 1002", ("1002",), id="es-pedido-n-dot-ordinal"),
        P("número de pedido 1002", ("1002",), id="es-numero-de-pedido"),
        P("la orden 1002", ("1002",), id="es-orden"),
    ],
)
def test_order_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert extract_entities(text).order_numbers == expected


@pytest.mark.parametrize(
    "text",
    [
        P("can i swap to L on 1002??", id="bare-number"),
        P("call me on +31 6 12345678", id="phone"),
        P("I want to order 100 pairs of socks", id="order-verb-with-quantity"),
        P("ist es 1001 oder 1002?", id="de-oder-means-or"),
        P("order 12 socks", id="too-short"),
        P("mail me at order1002@example.com", id="email"),
    ],
)
def test_order_numbers_negative(text: str) -> None:
    assert extract_entities(text).order_numbers == ()


# ----------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("can i swap to L on 1002??", ("1002",), id="en-bare"),
        P("1002", ("1002",), id="whole-message"),
        P("kann ich 1004 noch ändern?", ("1004",), id="de-bare"),
        P("tracking 12345678", ("12345678",), id="eight-digits"),
        P("order 1002 and later 5555", ("5555",), id="other-than-order"),
        P("order 1002, is 1002 shipped?", (), id="already-an-order"),
    ],
)
def test_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert extract_entities(text).numbers == expected


@pytest.mark.parametrize(
    "text",
    [
        P("ava1002@example.com", id="email-digits"),
        P("+46 70 123 45 67", id="phone"),
        P("delivered 12.03.2026", id="date-dotted"),
        P("delivered 2026-03-12", id="date-iso"),
        P("on 12 March 2026", id="date-month-name"),
        P("el 12 de marzo de 2026", id="es-date-month-name"),
        P("it cost €1002", id="price-symbol-first"),
        P("1002,00 EUR", id="price-code-after"),
        P("5.00€ and 199 kr", id="price-kr"),
        P("EU 42", id="size"),
        P("size 42", id="two-digits"),
        P("123456789", id="nine-digits"),
        P("my code is 482913", id="six-digits-is-code"),
        P("1.5 or 3/4", id="decimals"),
    ],
)
def test_numbers_negative(text: str) -> None:
    assert extract_entities(text).numbers == ()


# ----------------------------------------------------------------------------- codes
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("my code is 482913", ("482913",), id="en-plain"),
        P("le code: 123 456", ("123456",), id="fr-space"),
        P("der Code ist 123-456.", ("123456",), id="de-hyphen"),
        P("koden är 654321", ("654321",), id="sv-plain"),
        P("123 456 789", (), id="three-groups-not-code"),
        P("1234567", (), id="seven-digits"),
        P("+31 6 123456 78", (), id="inside-phone"),
    ],
)
def test_codes(text: str, expected: tuple[str, ...]) -> None:
    assert extract_entities(text).codes == expected


def test_six_digits_are_a_code_not_a_number() -> None:
    result = extract_entities("482913")
    assert (result.codes, result.numbers) == (("482913",), ())


# ----------------------------------------------------------------------------- emails
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("mi email es Ben@Example.com", ("ben@example.com",), id="es-lowercased"),
        P("mail: ava.smith+shop@example.co.uk.", ("ava.smith+shop@example.co.uk",), id="dot"),
        P("<sven@exempel.se>, tack", ("sven@exempel.se",), id="sv-brackets"),
        P("a@b.de oder c@d.de", ("a@b.de", "c@d.de"), id="de-two"),
        P("@ava on insta", (), id="handle"),
        P("ava at example dot com", (), id="spelled-out"),
    ],
)
def test_emails(text: str, expected: tuple[str, ...]) -> None:
    assert extract_entities(text).emails == expected


# ----------------------------------------------------------------------------- phones
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("bel me op +31 6 12345678", ("+31612345678",), id="nl-mobile"),
        P("ring +46 70 123 45 67", ("+46701234567",), id="sv-groups"),
        P("Tel. 0049 151 12345678", ("+4915112345678",), id="de-00-prefix"),
        P("+33 (0)6 12 34 56 78", ("+33612345678",), id="fr-trunk-zero"),
        P("+34 612 345 678", ("+34612345678",), id="es-groups"),
        P("+1 (555) 123-4567", ("+15551234567",), id="us-parentheses"),
        P("+31 6 12345678 order 1002", ("+31612345678",), id="stops-before-order"),
        P("call 06 12345678", (), id="no-country-prefix"),
        P("+2 socks", (), id="too-short"),
        P("#1002", (), id="order-is-not-phone"),
    ],
)
def test_phones(text: str, expected: tuple[str, ...]) -> None:
    assert extract_entities(text).phones == expected


def test_phone_then_number_is_split() -> None:
    result = extract_entities("+31 6 12345678 1002")
    assert (result.phones, result.numbers) == (("+31612345678",), ("1002",))


# ----------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("2x hoodie", (2,), id="nx"),
        P("socks x2", (2,), id="xn"),
        P("3 pairs of socks", (3,), id="en-pairs"),
        P("qty 2", (2,), id="en-qty"),
        P("quantity: 4", (4,), id="en-quantity"),
        P("two beanies", (2,), id="en-word"),
        P("2 more black socks", (2,), id="en-modifiers"),
        P("zwei Mützen", (2,), id="de-zwei"),
        P("drei Paar Socken", (3,), id="de-drei-paar"),
        P("Menge: 3", (3,), id="de-menge"),
        P("twee mutsen", (2,), id="nl-twee"),
        P("3 stuks", (3,), id="nl-stuks"),
        P("aantal: twee", (2,), id="nl-aantal-word"),
        P("jag vill ha två par strumpor istället", (2,), id="sv-tva-par"),
        P("2 st", (2,), id="sv-st"),
        P("fyra mössor", (4,), id="sv-fyra"),
        P("antal 5", (5,), id="sv-antal"),
        P("deux paires", (2,), id="fr-deux-paires"),
        P("trois bonnets", (3,), id="fr-trois"),
        P("quantité : 2", (2,), id="fr-quantite"),
        P("dos pares de calcetines", (2,), id="es-dos-pares"),
        P("cuatro camisetas", (4,), id="es-cuatro"),
        P("cantidad: una", (1,), id="es-cantidad-article"),
        P("2 socks and 3 hats", (2, 3), id="two-quantities"),
    ],
)
def test_quantities(text: str, expected: tuple[int, ...]) -> None:
    assert extract_entities(text).quantities == expected


@pytest.mark.parametrize(
    "text",
    [
        P("it was €5 for socks", id="price-symbol"),
        P("5,00 EUR socks", id="price-code"),
        P("order 1002 socks", id="order-number"),
        P("EU 42 shoes", id="size"),
        P("my code is 482913", id="code"),
        P("two days ago", id="no-item"),
        P("I ordered 2 but want 3", id="bare-numbers"),
        P("ein Paar Socken", id="de-article-is-not-one"),
        P("une veste", id="fr-article-is-not-one"),
        P("2XL hoodie", id="size-2xl"),
    ],
)
def test_quantities_negative(text: str) -> None:
    assert extract_entities(text).quantities == ()


# ----------------------------------------------------------------------------- whole messages
def _e(**fields: tuple) -> Entities:
    empty = {f.name: () for f in dataclasses.fields(Entities)}
    return Entities(**{**empty, **fields})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P(
            "hi!! wrong size 😩 can i swap to L on 1002??",
            _e(numbers=("1002",)),
            id="en-swap",
        ),
        P(
            "Bestellnr. 1004, bitte die Jacke in Größe M und schwarz",
            _e(order_numbers=("1004",)),
            id="de-jacke",
        ),
        P(
            "kan ik de muts in het rood krijgen, bestelling #1001",
            _e(order_numbers=("1001",)),
            id="nl-muts",
        ),
        P(
            "jag vill ha två par strumpor istället",
            _e(quantities=(2,)),
            id="sv-strumpor",
        ),
        P("annuler ma commande n°1007 svp", _e(order_numbers=("1007",)), id="fr-annuler"),
        P(
            "quiero cambiar la talla a XL del pedido 1002",
            _e(order_numbers=("1002",)),
            id="es-talla",
        ),
        P("mi email es Ben@Example.com", _e(emails=("ben@example.com",)), id="es-email"),
        P("le code: 123 456", _e(codes=("123456",)), id="fr-code"),
        P("my code is 482913", _e(codes=("482913",)), id="en-code"),
        P(
            "order 1002 size 42",
            _e(order_numbers=("1002",)),
            id="en-order-size-number",
        ),
        P(
            "Ich weiß nicht, ob Bestellung 1005 raus ist. Bitte 2 weiße Mützen, Größe L.",
            _e(order_numbers=("1005",), quantities=(2,)),
            id="de-weiss-both-senses",
        ),
        P(
            "paid 5.00€ on 2026-03-12, call +46 70 123 45 67 or mail Ava@Example.com",
            _e(phones=("+46701234567",), emails=("ava@example.com",)),
            id="en-noise-only",
        ),
    ],
)
def test_realistic_messages(text: str, expected: Entities) -> None:
    assert extract_entities(text) == expected


def test_empty_message() -> None:
    assert extract_entities("") == _e()


def test_result_is_frozen() -> None:
    result = extract_entities("order 1002")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.order_numbers = ()  # type: ignore[misc]


def test_no_duplicates_and_order_of_appearance() -> None:
    result = extract_entities("black or navy? black! order 1003, then #1002 and #1003")
    assert result.order_numbers == ("1003", "1002")
