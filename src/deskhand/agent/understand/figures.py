"""Reading a question that asks for a figure: where to, for how much, and what about.

"how much is shipping to Germany for a 30 euro order?", "Was kostet der Versand nach
Belgien?", "¿hacéis envíos a Noruega?": the country (named in any of the six languages),
the order value (a sum with its currency), and whether it asks what shipping costs, how
long it takes, or only whether the brand delivers there. Pure rules, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale

from deskhand.agent.understand.lexical import fold

LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")
# Countries shoppers ask about: the EU and the neighbours a European shop is asked about.
# (Not every territory: "Jersey", "Chad" or "Georgia" are words too.)
COUNTRIES = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "GB CH NO IS LI US CA AU JP CN TR UA RS AL BA ME MK MD BY RU AD MC SM"
).split()
_EXTRA_NAMES = {
    "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "great britain": "GB", "united kingdom": "GB", "usa": "US", "u.s.": "US",
    "america": "US", "holland": "NL", "the netherlands": "NL", "grossbritannien": "GB",
    "engeland": "GB", "angleterre": "GB", "inglaterra": "GB", "storbritannien": "GB",
    "amerika": "US", "etats-unis": "US", "estados unidos": "US", "schweden": "SE",
}  # fmt: skip
_SHIPPING = re.compile(
    r"(?<!\w)(?:ship|shipping|deliver|delivery|postage|send|versand|versend|verschick|liefer|"
    r"porto|zustell|verzend|verstuur|lever|bezorg|frakt|leverans|skicka|livr|exp[ée]di|"
    r"envoi|envoy|frais de port|env[ií]o|enviá|envia|entreg|mand)",
    re.IGNORECASE,
)
_COST = re.compile(
    r"(?<!\w)(?:cost|how much|price|fee|charge|free|pay|kost|wie ?viel|was kostet|geb[üu]hr|"
    r"gratis|kostenlos|umsonst|hoeveel|prijs|betal|vad kostar|avgift|kostnadsfri|combien|"
    r"co[uû]t|prix|frais|gratuit|payer|cu[áa]nto|cuesta|precio|pag)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<!\w)(?:how long|when|days?|take|arriv|dauert|wie lange|wann|tage|hoe lang|duurt|"
    r"wanneer|dagen|hur l[åa]ng|tar det|n[äa]r|dagar|combien de temps|d[ée]lai|quand|jours|"
    r"cu[áa]nto tarda|tarda|cu[áa]ndo|d[ií]as|llega)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:(?:€|eur\b|euro\b)\s*(\d+(?:[.,]\d{1,2})?))|"
    r"(?:(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur\b|euros?\b|kr\b|kronor\b|sek\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FigureQuestion:
    country: str | None  # ISO code
    order_value: int | None  # minor units
    asks_cost: bool
    asks_time: bool


@cache
def _country_names() -> tuple[tuple[str, str], ...]:
    """(folded name, code), longest name first so "Pays-Bas" wins over "Bas"."""
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        territories = Locale(lang).territories
        for code in COUNTRIES:
            if code in territories:
                names[fold(str(territories[code]))] = code
    names.update(_EXTRA_NAMES)
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


def country_in(text: str) -> str | None:
    folded = f" {fold(text)} "
    for name, code in _country_names():
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", folded):
            return code
    return None


def order_value_in(text: str) -> int | None:
    m = _MONEY.search(text)
    if m is None:
        return None
    return round(float((m.group(1) or m.group(2)).replace(",", ".")) * 100)


def read_figure_question(text: str) -> FigureQuestion | None:
    """The shipping figure a question asks for, or None when it asks for none.

    A question asks for one when it names a country or a sum and is about shipping
    ("to Germany", "nach Belgien", "for a 30 euro order"): "do you ship to Norway?" asks
    whether; "what does it cost to ship to Spain?" asks how much.
    """
    country = country_in(text)
    value = order_value_in(text)
    if country is None and value is None:
        return None
    shipping = bool(_SHIPPING.search(text))
    if not shipping:
        return None
    return FigureQuestion(
        country, value, bool(_COST.search(text)) or value is not None, bool(_TIME.search(text))
    )
