"""Reading one message: entities, whether it carries an intent at all, and the intent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskhand.agent.understand.entities import Entities, extract_entities
from deskhand.agent.understand.intents import IntentGuess, classify

_LATEST = re.compile(
    r"\b(last|latest|most recent|recent|letzte[nrsm]?|neueste[nrsm]?|laatste|recentste|"
    r"senaste|dernière|derniere|dernier|última|ultima|último|ultimo|reciente)\b",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_ORDER_WORDS = re.compile(
    r"(?i)\b(order|bestellung|bestelling|beställning|commande|pedido|nr|no)\b"
)


@dataclass(frozen=True)
class Reading:
    text: str
    entities: Entities
    guess: IntentGuess | None  # None: only an email, a code or a number, nothing to classify
    latest: bool  # "my last order"

    @property
    def number(self) -> str | None:
        found = self.entities.order_numbers or self.entities.numbers
        return found[0] if found else None


def read_message(text: str) -> Reading:
    """Everything the engine needs from the text alone; safe to run outside a transaction."""
    ents = extract_entities(text)
    rest = text.lower()
    for value in (*ents.emails, *ents.order_numbers, *ents.numbers, *ents.codes):
        rest = rest.replace(value, " ")
    bare = not _LETTERS.search(_ORDER_WORDS.sub(" ", rest.replace("#", " ")))
    return Reading(text, ents, None if bare else classify(text), bool(_LATEST.search(text)))
