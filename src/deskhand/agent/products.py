"""Which of an order's lines the shopper's words name, in any of the six languages.

Catalogue titles are in the brand's language ("Merino Beanie"); shoppers say "muts",
"Mütze", "gorro", "bonnet" or "mössa". Each catalogue title is given its kinds of product
once per catalogue version: by the glossary's words it contains (`understand/product_words`)
and, for a title that contains none ("Summit Shell"), by the nearest glossary concept in the
multilingual embedding space. The brand's own synonyms ("theekoker" for the Travel Kettle)
count as names of that one product. A turn then only looks words up: no title is embedded
per turn, and nothing is embedded at all while the catalogue stays the same.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from deskhand.agent.understand.product_words import (
    Mentions,
    concepts,
    concepts_in,
    mentions,
    same_word,
    words_of,
)
from deskhand.domain.catalogue import CatalogueProduct, catalogue_version
from deskhand.domain.orders import LineItem, Order
from deskhand.nlp.embeddings import embed_queries

# A title with no glossary word takes the nearest product concept when the embedding is
# this close and clearly closer than the next (placed on the generated catalogue, see
# tests/data/product_refs/).
EMBED_MIN = 0.86
EMBED_MARGIN = 0.015
KEPT_INDEXES = 16  # brands x catalogue versions kept in memory
NAME_SCORE, COLOUR_SCORE = 2, 1  # a line is named from NAME_SCORE; colour breaks ties


@dataclass(frozen=True)
class Title:
    """What one product title is: its kinds of product and its own distinctive words."""

    concepts: frozenset[str]
    words: frozenset[str]
    synonyms: tuple[str, ...] = ()


@cache
def concept_vectors() -> tuple[tuple[str, ...], np.ndarray]:
    """The product concepts' embeddings, computed once per process."""
    products = [c for c in concepts() if c.kind == "product"]
    return tuple(c.key for c in products), embed_queries([c.label() for c in products])


def _own_words(title: str) -> frozenset[str]:
    return frozenset(w for w in words_of(title) if len(w) > 3)


def lexical_concepts(title: str) -> frozenset[str]:
    kinds = {c.key: c.kind for c in concepts()}
    return frozenset(k for k in concepts_in(words_of(title)) if kinds[k] == "product")


class ProductIndex:
    """The catalogue's titles with their concepts, for one brand and catalogue version."""

    def __init__(
        self, products: Sequence[CatalogueProduct], synonyms: Mapping[str, Sequence[str]]
    ) -> None:
        titles = sorted({p.title for p in products} | set(synonyms))
        found = {t: lexical_concepts(t) for t in titles}
        unknown = [t for t in titles if not found[t]]
        if unknown:
            keys, vectors = concept_vectors()
            sims = embed_queries(unknown) @ vectors.T
            for title, row in zip(unknown, sims, strict=True):
                best = np.argsort(row)[::-1][:2]
                if row[best[0]] >= EMBED_MIN and row[best[0]] - row[best[1]] >= EMBED_MARGIN:
                    found[title] = frozenset({keys[best[0]]})
        self.titles = {
            t: Title(found[t], _own_words(t), tuple(synonyms.get(t, ()))) for t in titles
        }

    def title(self, title: str) -> Title:
        """A title of the catalogue, or one read now (an order line of a product since gone)."""
        return self.titles.get(title) or Title(lexical_concepts(title), _own_words(title))

    def titles_named(self, text: str) -> list[str]:
        """The catalogue's titles the message names best (the benchmark's view)."""
        said = mentions(text)
        scored = [(self.title_score(said, t), t) for t in self.titles]
        best = max((s for s, _ in scored), default=0)
        return [t for s, t in scored if s >= NAME_SCORE and s == best]

    def title_score(self, said: Mentions, name: str) -> int:
        """How strongly the message names a title: its kind of product, its own words (the
        more, the better: "the rain jacket" is the Harbour Rain Jacket more than the Storm
        Shell Jacket), or one of the brand's synonyms for it."""
        title = self.title(name)
        own = sum(any(same_word(w, t) for w in said.words) for t in title.words)
        kind = bool(said.products & title.concepts)
        score = NAME_SCORE * kind + max(own - 1, 0)
        if own:
            # A word of the title counts fully unless the message names another kind of
            # product with it: "t-shirt" shares "shirt" with the Oxford Shirt.
            score += NAME_SCORE if kind or not said.products else 1
        if any(_says(said.words, s) for s in title.synonyms):
            score += 2 * NAME_SCORE
        return score

    def line_score(self, said: Mentions, item: LineItem) -> int:
        """How strongly the message names this line: its product, then its colour."""
        score = self.title_score(said, item.title)
        if said.colours and said.colours & _lexical_colours(item.variant):
            score += COLOUR_SCORE
        return score

    def lines_named(self, text: str, order: Order) -> list[LineItem]:
        """The order's lines the message names by product (a colour alone does not name)."""
        said = mentions(text)
        scored = [(self.line_score(said, i), i) for i in order.items]
        best = max((s for s, _ in scored), default=0)
        return [i for s, i in scored if s >= NAME_SCORE and s == best]


def _says(words: tuple[str, ...], phrase: str) -> bool:
    parts = words_of(phrase)
    n = len(parts)
    return bool(parts) and any(
        all(same_word(words[i + k], parts[k]) for k in range(n)) for i in range(len(words) - n + 1)
    )


@cache
def _lexical_colours(variant: str) -> frozenset[str]:
    kinds = {c.key: c.kind for c in concepts()}
    return frozenset(k for k in concepts_in(words_of(variant)) if kinds[k] == "colour")


_indexes: OrderedDict[tuple[int, str], ProductIndex] = OrderedDict()
_lock = threading.Lock()


def product_index(
    brand_id: int,
    products: Sequence[CatalogueProduct],
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> ProductIndex:
    """The brand's index for this catalogue version, built once and kept while it is current."""
    synonyms = synonyms or {}
    extra = [f"{t}={w}" for t, words in sorted(synonyms.items()) for w in words]
    key = (brand_id, catalogue_version(products, extra))
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
    index = ProductIndex(products, synonyms)
    with _lock:
        _indexes[key] = index
        while len(_indexes) > KEPT_INDEXES:
            _indexes.popitem(last=False)
    return index
