"""Product references in the shopper's words: how often the agent finds the product meant.

`tests/data/product_refs/<lang>.tsv` holds at least 40 references per language ("die
Wollmütze", "el del hervidor", "vantarna") over two catalogues: the demo's nine products
and a larger one of 54 (`large_catalogue.tsv`, English titles as a brand would write them,
some with no everyday product word: "Summit Shell", "Nordic Throw"). Two figures:

- *catalogue*: the product meant is the one title (or among the tied best titles) the
  reference names in the whole catalogue: exact = it alone, found = among them;
- *order lines*: in an order of the product meant and three others drawn from the same
  catalogue (five draws per reference, seeded), exactly its line is named.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from deskhand.agent.products import (
    EMBED_MARGIN,
    EMBED_MIN,
    ProductIndex,
    concept_vectors,
    lexical_concepts,
)
from deskhand.commerce.demo_catalogue import CATALOGUE
from deskhand.domain.catalogue import CatalogueProduct
from deskhand.domain.orders import ItemStatus, LineItem, Order
from deskhand.nlp.embeddings import embed_queries

REFS = Path(__file__).parents[3] / "tests" / "data" / "product_refs"
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")
DRAWS, OTHER_LINES = 5, 3


def demo_catalogue() -> list[CatalogueProduct]:
    return [
        CatalogueProduct(
            i,
            title,
            tuple(" / ".join(p for p in (size, colour) if p) for _, size, colour, _ in variants),
        )
        for i, (_, title, _, variants) in enumerate(CATALOGUE, 1)
    ]


def large_catalogue(folder: Path = REFS) -> list[CatalogueProduct]:
    with (folder / "large_catalogue.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        CatalogueProduct(100 + i, r["title"], tuple(r["variants"].split("|")))
        for i, r in enumerate(rows)
    ]


def references(lang: str, folder: Path = REFS) -> list[tuple[str, str, str]]:
    """(catalogue, reference, product title) rows of one language."""
    with (folder / f"{lang}.tsv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["catalogue"], r["reference"], r["product"]) for r in rows]


@dataclass
class Score:
    total: int = 0
    exact: int = 0
    found: int = 0
    lines_total: int = 0
    lines_right: int = 0
    misses: list[str] | None = None


def _order(products: list[CatalogueProduct]) -> Order:
    items = tuple(
        LineItem(i, p.title, p.variants[0] if p.variants else "", 1, 100, ItemStatus.UNFULFILLED)
        for i, p in enumerate(products)
    )
    return Order(1, "1", 1, datetime.now(UTC), "EUR", items)


def score(lang: str, indexes: dict[str, tuple[ProductIndex, list[CatalogueProduct]]]) -> Score:
    result = Score(misses=[])
    for n, (which, reference, title) in enumerate(references(lang)):
        index, products = indexes[which]
        named = index.titles_named(reference)
        result.total += 1
        result.exact += named == [title]
        result.found += title in named
        if title not in named:
            assert result.misses is not None
            result.misses.append(f"{reference} -> {named[:3]}")
        meant = next(p for p in products if p.title == title)
        others = [p for p in products if p.title != title]
        rng = random.Random(f"{lang}-{n}")
        for _ in range(DRAWS):
            lines = [meant, *rng.sample(others, OTHER_LINES)]
            rng.shuffle(lines)
            picked = index.lines_named(reference, _order(lines))
            result.lines_total += 1
            result.lines_right += [i.title for i in picked] == [title]
    return result


def embedding_agreement(products: list[CatalogueProduct]) -> tuple[int, int, int]:
    """(titles with a glossary concept, of them given a concept by the embedding alone, of
    those the same one): how far the fallback for titles with no glossary word is trusted."""
    keys, vectors = concept_vectors()
    with_concept = [p.title for p in products if lexical_concepts(p.title)]
    sims = embed_queries(with_concept) @ vectors.T
    given = same = 0
    for title, row in zip(with_concept, sims, strict=True):
        best = np.argsort(row)[::-1][:2]
        if row[best[0]] >= EMBED_MIN and row[best[0]] - row[best[1]] >= EMBED_MARGIN:
            given += 1
            same += keys[best[0]] in lexical_concepts(title)
    return len(with_concept), given, same


def measure() -> dict[str, Score]:
    demo, large = demo_catalogue(), large_catalogue()
    indexes = {"demo": (ProductIndex(demo, {}), demo), "large": (ProductIndex(large, {}), large)}
    return {lang: score(lang, indexes) for lang in LANGUAGES}


def section(scores: dict[str, Score]) -> list[str]:
    def cell(num: int, den: int) -> str:
        return f"{num / den:.3f}" if den else "–"

    every = Score(
        total=sum(s.total for s in scores.values()),
        exact=sum(s.exact for s in scores.values()),
        found=sum(s.found for s in scores.values()),
        lines_total=sum(s.lines_total for s in scores.values()),
        lines_right=sum(s.lines_right for s in scores.values()),
    )
    rows = {**scores, "all": every}
    return [
        "| | " + " | ".join(rows) + " |",
        "|---|" + "---|" * len(rows),
        "| references | " + " | ".join(str(s.total) for s in rows.values()) + " |",
        "| catalogue: the product alone | "
        + " | ".join(cell(s.exact, s.total) for s in rows.values())
        + " |",
        "| catalogue: among the best named | "
        + " | ".join(cell(s.found, s.total) for s in rows.values())
        + " |",
        "| order lines: exactly its line | "
        + " | ".join(cell(s.lines_right, s.lines_total) for s in rows.values())
        + " |",
    ]
