"""Product words in six languages: which kind of product or colour a shopper's words name.

`words/products.tsv` holds one concept a row (a beanie, a kettle, navy) with its everyday
names in English, German, Dutch, Swedish, French and Spanish. A shopper who types "muts",
"Mütze", "gorro", "bonnet" or "mössa" names the concept *beanie*; a catalogue title is
given its concepts once, when the catalogue changes (see `agent/products.py`). Matching is
forgiving the way chat is: accents, plurals, compounds ("Wollmütze", "regenjas") and one
typo in a longer word ("hervidro", "bouilloir").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from deskhand.agent.understand.lexical import fold

PRODUCT_WORDS = Path(__file__).parent / "words" / "products.tsv"
TRAINING = Path(__file__).parent / "data" / "train"
COMMON_MIN = 8  # messages of the corpus a word must be in to count as an everyday word
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# Endings a plural or an inflection adds (the six languages together), longest first.
_ENDINGS = (
    "arna",
    "orna",
    "erna",
    "es",
    "en",
    "er",
    "ar",
    "or",
    "na",
    "an",
    "et",
    "s",
    "n",
    "e",
    "a",
)
COMPOUND_MIN = 4  # a compound's last part counts from this length ("Wollmütze" -> mütze)
TYPO_MIN = 6  # one edit is forgiven in words this long or longer


@dataclass(frozen=True)
class Concept:
    key: str
    kind: str  # "product" | "colour"
    names: dict[str, tuple[str, ...]]  # language -> names

    def label(self) -> str:
        """The concept in a few English words (what its embedding is computed from)."""
        return ", ".join(self.names.get("en", ())[:3])


@cache
def concepts() -> tuple[Concept, ...]:
    with PRODUCT_WORDS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return tuple(
        Concept(
            r["concept"],
            r["kind"],
            {lang: tuple(w.strip() for w in r[lang].split(",") if w.strip()) for lang in LANGUAGES},
        )
        for r in rows
    )


def words_of(text: str) -> list[str]:
    """Folded words: lower case, no accents."""
    return _TOKEN.findall(fold(text))


def stem(word: str) -> str:
    """The word without one plural or inflection ending, when enough of it is left."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def one_edit(a: str, b: str) -> bool:
    """At most one letter dropped, added, changed, doubled or two swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and (a[diff[1]] == b[diff[0]])
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def same_word(said: str, name: str) -> bool:
    """Whether a shopper's word is this catalogue word (both folded): exactly, as a plural,
    as the end of a compound or with one typo in a longer word."""
    if said == name or stem(said) == stem(name):
        return True
    if said in common_words():
        return False
    if len(name) >= COMPOUND_MIN and len(said) > len(name) + 2 and said.endswith(name):
        return True
    return min(len(said), len(name)) >= TYPO_MIN and one_edit(said, name)


@dataclass(frozen=True)
class _Lexicon:
    """The glossary's names, indexed for lookups a word at a time."""

    exact: dict[str, frozenset[str]]  # folded one-word name -> concepts
    stems: dict[str, frozenset[str]]  # its stem -> concepts
    phrases: tuple[tuple[tuple[str, ...], str], ...]  # several-word names
    by_length: dict[int, tuple[str, ...]]  # one-word names by length (typo lookups)
    kinds: dict[str, str]


@cache
def _lexicon() -> _Lexicon:
    exact: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    for concept in concepts():
        for names in concept.names.values():
            for name in names:
                parts = tuple(words_of(name))
                if len(parts) == 1:
                    exact.setdefault(parts[0], set()).add(concept.key)
                    stems.setdefault(stem(parts[0]), set()).add(concept.key)
                elif parts:
                    phrases.append((parts, concept.key))
    by_length: dict[int, list[str]] = {}
    for name in exact:
        by_length.setdefault(len(name), []).append(name)
    return _Lexicon(
        {k: frozenset(v) for k, v in exact.items()},
        {k: frozenset(v) for k, v in stems.items()},
        tuple(phrases),
        {k: tuple(v) for k, v in by_length.items()},
        {c.key: c.kind for c in concepts()},
    )


@cache
def common_words() -> frozenset[str]:
    """Everyday words of our own chat corpus that are no product name: never read fuzzily
    ("want" is not a shortened Dutch "wanten", mittens)."""
    counts: dict[str, int] = {}
    for path in sorted(TRAINING.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            for word in set(words_of(line)):
                counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= COMMON_MIN)


@lru_cache(maxsize=8192)
def word_concepts(word: str) -> frozenset[str]:
    """The concepts one folded word names: exactly, as a plural, a compound or with a typo."""
    lex = _lexicon()
    if word in lex.exact:
        return lex.exact[word]
    if len(word) < 3:
        return frozenset()
    common = word in common_words()
    # An inflected form ("jackan", "mössan") reads as its stem; a bare everyday word ("want")
    # is never the stem of a plural ("wanten").
    if stem(word) != word or not common:
        found = lex.stems.get(stem(word)) or lex.stems.get(stem(stem(word)))  # "parkasen"
        if found:
            return found
    if common:
        return frozenset()
    for i in range(2, len(word) - COMPOUND_MIN + 1):  # "wollmutze" -> "mutze"
        tail = word[i:]
        if tail in lex.exact:
            return lex.exact[tail]
    if len(word) >= TYPO_MIN:
        near = {
            key
            for n in (len(word) - 1, len(word), len(word) + 1)
            for name in lex.by_length.get(n, ())
            if n >= TYPO_MIN and one_edit(word, name)
            for key in lex.exact[name]
        }
        return frozenset(near)
    return frozenset()


def concepts_in(words: list[str] | tuple[str, ...]) -> set[str]:
    """Every concept the words name, several-word names included."""
    found: set[str] = set()
    covered: set[int] = set()  # words read as part of a longer name ("sac à dos")
    for parts, key in _lexicon().phrases:
        n = len(parts)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == parts:
                found.add(key)
                covered.update(range(i, i + n))
    for i, word in enumerate(words):
        if i not in covered:
            found |= word_concepts(word)
    return found


@dataclass(frozen=True)
class Mentions:
    """What a message names: product concepts, colour concepts, and its plain words."""

    products: frozenset[str]
    colours: frozenset[str]
    words: tuple[str, ...]


def mentions(text: str) -> Mentions:
    """The product and colour concepts a shopper's message names, in any of the languages."""
    words = tuple(words_of(text))
    found = concepts_in(words)
    kinds = _lexicon().kinds
    return Mentions(
        products=frozenset(k for k in found if kinds[k] == "product"),
        colours=frozenset(k for k in found if kinds[k] == "colour"),
        words=words,
    )
