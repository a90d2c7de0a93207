"""Answers typed instead of pressing a button: "oui", "ja gerne", "no thanks", "2", "the
second one", or a button's own label. Also: does a message ask whether a change went through?

Only the buttons the agent's latest reply offered are candidates, so a typed "yes" means the
button that asked; with no button it is an ordinary message. Words for the six languages are
in `answer_words.toml` (every language's words count: shoppers mix them).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "answer_words.toml"
MAX_ANSWER_WORDS = 8  # a longer message says more than yes or no: the agent reads it
_PUNCT = re.compile(r"[^\w\s'’:.ºª#👍👎-]+")
_NUMBER = re.compile(r"^#?\s*(\d{1,2})[.)]?$")


@dataclass(frozen=True)
class AnswerWords:
    yes: frozenset[str]
    no: frozenset[str]
    polite: frozenset[str]
    ordinals: Mapping[str, int]  # word -> position (0-based)
    done: tuple[str, ...]
    openers: frozenset[str]


@cache
def answer_words() -> AnswerWords:
    tables = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    yes: set[str] = set()
    no: set[str] = set()
    polite: set[str] = set()
    ordinals: dict[str, int] = {}
    done: list[str] = []
    openers: set[str] = set()
    for table in tables.values():
        yes |= {normalise(w) for w in table["yes"]}
        no |= {normalise(w) for w in table["no"]}
        polite |= {normalise(w) for w in table["polite"]}
        for position, words in enumerate(table["ordinals"]):
            ordinals.update({normalise(w): position for w in words})
        done += [normalise(w) for w in table["done"]]
        openers |= {normalise(w) for w in table["openers"]}
    return AnswerWords(
        frozenset(yes), frozenset(no), frozenset(polite), ordinals, tuple(done), frozenset(openers)
    )


def normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, no punctuation but inside words, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'")
    text = _PUNCT.sub(" ", text)
    return " ".join(w.strip(".-:'") if len(w) > 1 else w for w in text.split()).strip()


def _polarity(said: str, words: AnswerWords) -> bool | None:
    """True for a yes, False for a no, None for neither (or both)."""
    if said in words.no:
        return False
    if said in words.yes:
        return True
    tokens = said.split()
    # The answer first, then politeness: "oui s'il vous plaît", "nein danke", "yes please".
    for size in (3, 2, 1):
        head, rest = " ".join(tokens[:size]), " ".join(tokens[size:])
        if head in words.no or head in words.yes:
            if rest and not _only_polite(rest, words):
                return None
            return head not in words.no
    return None


def _only_polite(rest: str, words: AnswerWords) -> bool:
    tokens = rest.split()
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2, 1):
            if " ".join(tokens[i : i + size]) in words.polite | words.yes:
                i += size
                break
        else:
            return False
    return True


def _position(said: str, count: int, words: AnswerWords) -> int | None:
    number = _NUMBER.match(said)
    if number:
        n = int(number.group(1))
        return n - 1 if 1 <= n <= count else None
    found = {words.ordinals[t] for t in said.split() if t in words.ordinals}
    if len(found) == 1 and len(said.split()) <= 4:
        position = found.pop()
        return position if position < count else None
    return None


def typed_choice(
    text: str, buttons: Sequence[tuple[str, str]], yes_no: Mapping[str, bool]
) -> str | None:
    """The action of the live button a typed answer means, or None.

    `buttons` are (action, label) pairs of the latest reply; `yes_no` maps the actions that
    answer a yes/no question to True (yes) or False (no).
    """
    said = normalise(text)
    if not said or not buttons or len(said.split()) > MAX_ANSWER_WORDS:
        return None
    words = answer_words()
    for action, label in buttons:
        if said == normalise(label):
            return action
    polar = {answer: action for action, answer in yes_no.items() if action in dict(buttons)}
    if polar:
        polarity = _polarity(said, words)
        if polarity is not None and polarity in polar:
            return polar[polarity]
    position = _position(said, len(buttons), words)
    if position is not None:
        return buttons[position][0]
    # A part of exactly one button's label ("trail jacket" for "#1001 · Trail Jacket …").
    # A bare number is an order number or a code: the agent reads it as such.
    if len(said) >= 4 and not said.lstrip("#").isdigit():
        inside = [
            a for a, label in buttons if re.search(rf"\b{re.escape(said)}\b", normalise(label))
        ]
        if len(inside) == 1:
            return inside[0]
    return None


def asks_if_done(text: str) -> bool:
    """Whether a message asks if a change went through: "Ist die Größe jetzt geändert?"."""
    said = normalise(text)
    words = answer_words()
    if not any(re.search(rf"\b{re.escape(d)}\b", said) for d in words.done):
        return False
    first = said.split()[0] if said else ""
    return "?" in text or first in words.openers
