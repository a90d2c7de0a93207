"""Policy facts stated in knowledge-base text: windows, fees, refund and delivery times.

A small multilingual reader (en, de, nl, sv, fr, es) of the sentences that state what
the structured policy rules decide. The consistency checker compares these facts with
the rules; the agent answers from the rules (not the passage) when the passage it found
states one of them. It reads numbers written as digits (and the commonest number words);
anything it cannot read it leaves alone rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from babel import Locale

# Word stems per concept; matched at word starts on lower-cased text.
_CONCEPTS = {
    "cancel": r"cancel|stornier|storno|annul|avbeställ|avbok|anular",
    "change": r"chang|edit|modif|amend|änder|abänder|wijzig|aanpass|ändra|cambi",
    "return": r"return|rücksend|rückgabe|zurücksend|zurückschick|retour|terugstu|terugzend|retur|renvoi|renvoy|devol|devuelv",  # noqa: E501
    "refund": r"refund|erstatt|rückzahl|terugbetal|återbetal|rembours|reembols",
    "deliver": r"deliver|arriv|liefer|zustell|bezorg|geleverd|lever|framme|livr|entreg|lleg|recib",  # noqa: E501
    "fee": r"fee|charge|cost|gebühr|kosten|berechn|kost|toeslag|avgift|kostnad|frais|coût|cargo|coste|gasto|tarifa|comisi|penaliz",  # noqa: E501
    "free": r"free|kostenlos|gratis|gebührenfrei|kosteloos|kostnadsfri|avgiftsfri|gratuit|sans frais|sin coste|sin cargo",  # noqa: E501
    "ship": r"ship|deliver|versand|versend|liefer|verzend|lever|frakt|livr|expédi|expedi|envío|envio",  # noqa: E501
    "negation": r"cannot|can't|can not|not |non-returnable|excluded|nicht|kein|ausgeschlossen|niet|geen|uitgesloten|inte|ej |undantag|ne |pas |exclu|no se|no pueden|no puede|excluid",  # noqa: E501
}
CONCEPT = {
    name: re.compile(rf"(?<!\w)(?:{stems})", re.IGNORECASE) for name, stems in _CONCEPTS.items()
}
CATEGORIES = {
    "final_sale": re.compile(
        r"final[- ]sale|sale[- ]artikel|reduzierte artikel|uitverkoop|slutrea|reavaror|"
        r"soldes|vente finale|rebajas|liquidaci",
        re.IGNORECASE,
    ),
    "gift_card": re.compile(
        r"gift ?cards?|gutschein|geschenkkarte|cadeaubon|cadeaukaart|presentkort|"
        r"cartes? cadeaux?|bons? cadeaux?|tarjetas? (?:de )?regalo",
        re.IGNORECASE,
    ),
    "personalised": re.compile(
        r"personali[sz]|personalisiert|gepersonaliseerd|personlig|personnalis|personaliz|"
        r"engrav|gravier|gravur|gravé|grabad",
        re.IGNORECASE,
    ),
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
    "fourteen": 14, "thirty": 30, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3,
    "fünf": 5, "zehn": 10, "vierzehn": 14, "dreißig": 30, "een": 1, "twee": 2, "drie": 3,
    "vijf": 5, "tien": 10, "veertien": 14, "dertig": 30, "en": 1, "ett": 1, "två": 2,
    "tre": 3, "fem": 5, "tio": 10, "fjorton": 14, "trettio": 30, "un": 1, "une": 1,
    "deux": 2, "trois": 3, "cinq": 5, "dix": 10, "quatorze": 14, "trente": 30, "uno": 1,
    "una": 1, "dos": 2, "tres": 3, "cinco": 5, "diez": 10, "catorce": 14, "treinta": 30,
}  # fmt: skip
_NUM = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNITS = [
    (
        "business_days",
        r"business days?|working days?|werktagen?|arbeitstagen?|werkdagen?|arbetsdagar|"
        r"vardagar|jours? ouvr(?:és|és|ables)|jours? ouvrés|días? (?:hábiles|laborables)|"
        r"dias? (?:habiles|laborables)",
    ),
    ("minutes", r"min(?:utes?|uten|uter|utos)?\b"),
    ("hours", r"hours?|hrs?\b|stunden?|std\b|uur|uren|timm(?:e|ar)|heures?|horas?"),
    ("days", r"days?|tagen?|dagen?|dagar|jours?|días?|dias?"),
]
DURATION = re.compile(
    _NUM
    + r"(?:\s*(?:-|–|to|bis|tot|till|à|a)\s*"
    + _NUM
    + r")?\s*(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _UNITS)
    + r")",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"(?:(?:EUR|€|USD|\$|GBP|£|SEK)\s*(\d+(?:[.,]\d{1,2})?))|"
    r"(?:(\d+(?:[.,]\d{1,2})?)\s*(?:EUR|€|euros?|USD|SEK|kr\b))",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

# Which rule topic a fact belongs to (agent/skills/policy.py answers per topic).
TOPIC_OF_FACET = {
    "change_window": "order_changes",
    "cancellation_window": "order_changes",
    "cancellation_fee": "order_changes",
    "return_window": "returns",
    "return_excluded": "returns",
    "refund_time": "returns",
    "shipping_time": "shipping",
    "shipping_cost": "shipping",
    "free_shipping_over": "shipping",
}


@dataclass(frozen=True)
class Duration:
    low: int
    high: int
    unit: str  # "minutes" | "hours" | "days" | "business_days"

    @property
    def minutes(self) -> int:
        return self.high * {"minutes": 1, "hours": 60}.get(self.unit, 1440)

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.low}-{self.high} {unit}" if self.low != self.high else f"{self.low} {unit}"


@dataclass(frozen=True)
class Fact:
    facet: str
    sentence: str
    duration: Duration | None = None
    amount: int | None = None  # minor units
    categories: frozenset[str] = frozenset()
    regions: frozenset[str] = field(default_factory=frozenset)


def has(concept: str, text: str) -> bool:
    return CONCEPT[concept].search(text) is not None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def durations(sentence: str) -> list[Duration]:
    found = []
    for m in DURATION.finditer(sentence):
        unit = next(name for name, _ in _UNITS if m.group(name))
        low = _number(m.group(1))
        high = _number(m.group(2)) if m.group(2) else low
        found.append(Duration(low, high, unit))
    return found


def amounts(sentence: str) -> list[int]:
    return [
        round(float((m.group(1) or m.group(2)).replace(",", ".")) * 100)
        for m in MONEY.finditer(sentence)
    ]


def _region_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {"EU": []}
    for lang in ("en", "de", "nl", "sv", "fr", "es"):
        territories = Locale(lang).territories
        for code in ("NL", "DE", "BE", "AT", "FR", "ES", "LU", "DK", "SE", "IT"):
            names.setdefault(code, []).append(str(territories[code]).lower())
    names["EU"] = [
        "rest of the eu",
        "rest of the european union",
        "übrigen eu",
        "rest van de eu",
        "övriga eu",
        "resten av eu",
        "reste de l'ue",
        "reste de l'union",
        "resto de la ue",
        "resto de la unión",
        "other eu countries",
        "andere eu",
    ]
    return names


_REGIONS = _region_names()


def _region_spans(sentence: str) -> list[tuple[int, str]]:
    lowered = sentence.lower()
    found = []
    for code, names in _REGIONS.items():
        for name in names:
            start = lowered.find(name)
            if start >= 0:
                found.append((start, code))
                break
    return sorted(found)


def priced_regions(sentence: str) -> list[tuple[int, frozenset[str]]]:
    """(amount, regions) pairs of a sentence that prices shipping per region.

    "EUR 4.95 to the Netherlands, Germany and Belgium and EUR 7.95 to the rest of the EU"
    names the regions after each sum; "4,95 EUR in die Niederlande ... und 7,95 EUR in die
    übrigen EU-Länder" too; "nach Belgien 4,95 EUR" before it: a region belongs to the
    sum on the side the sentence starts with.
    """
    sums = [
        (m.start(), a) for m, a in zip(MONEY.finditer(sentence), amounts(sentence), strict=True)
    ]
    places = _region_spans(sentence)
    if not sums or not places:
        return []
    after = sums[0][0] < places[0][0]
    pairs: dict[int, set[str]] = {}
    for pos, code in places:
        if after:
            owner = [i for i, (start, _) in enumerate(sums) if start < pos][-1]
        else:
            later = [i for i, (start, _) in enumerate(sums) if start > pos]
            owner = later[0] if later else len(sums) - 1
        pairs.setdefault(owner, set()).add(code)
    return [(sums[i][1], frozenset(codes)) for i, codes in sorted(pairs.items())]


def regions_in(sentence: str) -> frozenset[str]:
    lowered = sentence.lower()
    return frozenset(code for code, names in _REGIONS.items() if any(n in lowered for n in names))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def facts_in(text: str) -> list[Fact]:
    """The policy facts each sentence of `text` states."""
    facts: list[Fact] = []
    for sentence in sentences(text):
        spans = durations(sentence)
        short = [d for d in spans if d.unit in ("minutes", "hours")]
        long = [d for d in spans if d.unit in ("days", "business_days")]
        if has("cancel", sentence):
            if short and not has("change", sentence):
                facts.append(Fact("cancellation_window", sentence, duration=short[0]))
            if has("fee", sentence):
                facts.extend(
                    Fact("cancellation_fee", sentence, amount=a) for a in amounts(sentence)
                )
        elif has("change", sentence) and short:
            facts.append(Fact("change_window", sentence, duration=short[0]))
        elif has("refund", sentence) and long:
            facts.append(Fact("refund_time", sentence, duration=long[0]))
        elif has("return", sentence) and long:
            facts.append(Fact("return_window", sentence, duration=long[0]))
        elif has("deliver", sentence) and long and (regions := regions_in(sentence)):
            facts.append(Fact("shipping_time", sentence, duration=long[0], regions=regions))
        money_rules = ("return", "cancel", "refund", "change")
        if has("ship", sentence) and not any(has(c, sentence) for c in money_rules):
            if has("free", sentence):
                facts.extend(
                    Fact("free_shipping_over", sentence, amount=a) for a in amounts(sentence)
                )
            else:
                facts.extend(
                    Fact("shipping_cost", sentence, amount=a, regions=r)
                    for a, r in priced_regions(sentence)
                )
        if has("return", sentence) and has("negation", sentence):
            cats = frozenset(c for c, pattern in CATEGORIES.items() if pattern.search(sentence))
            if cats:
                facts.append(Fact("return_excluded", sentence, categories=cats))
    return facts


def rule_topics_in(text: str) -> list[str]:
    """The rule topics (order_changes, returns, shipping) whose facts `text` states."""
    return list(dict.fromkeys(TOPIC_OF_FACET[f.facet] for f in facts_in(text)))
