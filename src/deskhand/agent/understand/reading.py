"""Reading one message: entities, the intent(s) it carries, and what it refuses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from deskhand.agent.understand.clauses import split_clauses
from deskhand.agent.understand.combine import combine
from deskhand.agent.understand.cues import only_says_just_ordered
from deskhand.agent.understand.entities import Entities, extract_entities
from deskhand.agent.understand.hygiene import tidy
from deskhand.agent.understand.intents import IntentGuess, guess_of, probabilities
from deskhand.domain.vocabulary import Intent
from deskhand.nlp.embeddings import embed_queries

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
    also: Intent | None = None  # a second request in the same message
    refused: frozenset[Intent] = frozenset()  # "I don't want to cancel": never act on these
    also_text: str | None = None  # the part of the message that makes the second request
    # Every text embedded while reading (the message, its clauses), so a skill that needs
    # the same embedding (the knowledge-base search) does not compute it again.
    embedded: Mapping[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    said: str = ""  # the text tidied (`hygiene.tidy`): what skills read; "" = as typed
    discourse_only: bool = False  # "hmm", "ah ok": no request at all

    @property
    def number(self) -> str | None:
        found = self.entities.order_numbers or self.entities.numbers
        return found[0] if found else None


class IntentReading(NamedTuple):
    guess: IntentGuess  # the main request
    also: Intent | None  # a second request, or None
    refused: frozenset[Intent]  # requests the shopper said they do not want
    also_text: str | None = None  # the clause that makes the second request
    embedded: Mapping[str, np.ndarray] = MappingProxyType({})  # text -> its embedding


def read_intents(text: str) -> IntentReading:
    """(main request, second request or None, refused intents) for one message.

    One embedding for a one-clause message; a message of several clauses is embedded
    whole and clause by clause in one batch.
    """
    return read_intents_many([text])[0]


def read_intents_many(texts: list[str]) -> list[IntentReading]:
    """`read_intents` for many messages with one batched embedding (benchmarks, tests)."""
    splits = [split_clauses(t) for t in texts]
    batch: list[str] = []
    for text, clauses in zip(texts, splits, strict=True):
        batch.append(text)
        if len(clauses) > 1 or clauses[0].negated:
            batch.extend(c.text for c in clauses)
    vectors = embed_queries(batch)
    p = probabilities(vectors, batch)
    out = []
    row = 0
    for text, clauses in zip(texts, splits, strict=True):
        whole = guess_of(p[row])
        embedded = {text: vectors[row]}
        row += 1
        if len(clauses) == 1 and not clauses[0].negated:
            out.append(IntentReading(whole, None, frozenset(), embedded=embedded))
            continue
        parts = [(guess_of(p[row + i]), c) for i, c in enumerate(clauses)]
        embedded.update((c.text, vectors[row + i]) for i, c in enumerate(clauses))
        row += len(clauses)
        main, also, refused, also_text = combine(whole, parts)
        if also_text and only_says_just_ordered(also_text):
            also, also_text = None, None  # "I just ordered, can I cancel?": one request
        out.append(IntentReading(main, also, refused, also_text, embedded))
    return out


def read_message(text: str) -> Reading:
    """Everything the engine needs from the text alone; safe to run outside a transaction."""
    ents = extract_entities(text)
    rest = text.lower()
    for value in (*ents.emails, *ents.order_numbers, *ents.numbers, *ents.codes):
        rest = rest.replace(value, " ")
    bare = not _LETTERS.search(_ORDER_WORDS.sub(" ", rest.replace("#", " ")))
    latest = bool(_LATEST.search(text))
    if bare:
        return Reading(text, ents, None, latest)
    tidied = tidy(text)  # discourse words, closings, typos of the domain's words
    intents = read_intents(tidied.text)
    guess = intents.guess
    if tidied.closing is not None:  # thanks and goodbyes only: close, whatever the head says
        guess = IntentGuess(tidied.closing, 1.0, guess.intent, 0.0, ((tidied.closing, 1.0),))
    return Reading(
        text,
        ents,
        guess,
        latest,
        intents.also if tidied.closing is None else None,
        intents.refused,
        intents.also_text,
        intents.embedded,
        said=tidied.text,
        discourse_only=tidied.discourse_only,
    )
