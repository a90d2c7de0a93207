"""How fast the agent reads a message, for `deskhand bench understanding`.

Timings are read as ratios to a reference measured in the same run (one embedding held to
one thread), so a figure from a shared, noisy machine still says something.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from deskhand.agent.understand.entities import extract_entities
from deskhand.agent.understand.intents import read_examples
from deskhand.agent.understand.reading import read_intents, read_message
from deskhand.nlp import embeddings
from deskhand.nlp.embeddings import embed_queries

# Two hundred characters with something for every pass: an order number, a size, a count,
# an e-mail, a phone number, a split code, words to skip, emoji.
ENTITY_MESSAGE = (
    "Hallo, Bestellung 1004: bitte die Jacke in Größe M und schwarz statt grau, dazu zwei "
    "Mützen. Mail ava@example.com, Tel. +49 151 12345678, Code 123 456. Danke!! 😊 tschüss"
)[:200]
ENTITY_RUNS = 2000


@contextmanager
def _threads(limit: str | None) -> Iterator[None]:
    """Embed with DESKHAND_EMBED_THREADS set to `limit` (None: as the server runs)."""
    saved = os.environ.get("DESKHAND_EMBED_THREADS")
    if limit is None:
        os.environ.pop("DESKHAND_EMBED_THREADS", None)
    else:
        os.environ["DESKHAND_EMBED_THREADS"] = limit
    try:
        yield
    finally:
        os.environ.pop("DESKHAND_EMBED_THREADS", None)
        if saved is not None:
            os.environ["DESKHAND_EMBED_THREADS"] = saved


def _ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def latency_section(folder: Path, figures: dict[str, float]) -> list[str]:
    """Reading held-out messages one at a time, as the server does and on one core."""
    sample = [t for _, _, t in read_examples(folder)][::2]
    read_intents("warm up")
    # Interleaved, message by message: as the server runs it (a free second core borrowed)
    # and held to one core, so the ratio is read from one run on a shared, noisy machine.
    per_message, one_core, whole, two = [], [], [], 0
    for text in sample:
        with _threads(None):
            per_message.append(_ms(partial(read_intents, text)))
            two += embeddings.last_threads > 1
            whole.append(_ms(partial(read_message, text)))
        with _threads("1"):
            one_core.append(_ms(partial(read_intents, text)))
    per_message.sort()
    figures["p50_ms"] = statistics.median(per_message)
    figures["p50_one_core_ms"] = statistics.median(one_core)
    p90 = per_message[int(0.9 * len(per_message))]
    return [
        f"Latency, one message at a time over {len(sample)} held-out messages (embedding as "
        f"the server runs it, on a second core when one is free: {two} of {len(sample)} here; "
        f"clauses, head): **p50 {figures['p50_ms']:.1f} ms**, p90 {p90:.1f} ms; with entity "
        f"extraction (`read_message`) p50 {statistics.median(whole):.1f} ms. Held to one core "
        f"(`DESKHAND_EMBED_THREADS=1`), interleaved with the above: p50 "
        f"{figures['p50_one_core_ms']:.1f} ms, a ratio of "
        f"{figures['p50_ms'] / figures['p50_one_core_ms']:.2f}. Target: classification under "
        "12 ms p50.",
    ]


def entity_section(figures: dict[str, float]) -> list[str]:
    """Entity extraction on a 200-character message, against one embedding on one thread."""
    extract_entities(ENTITY_MESSAGE)  # compiled patterns and caches warm
    extraction, embedding = [], []
    with _threads("1"):
        embed_queries([ENTITY_MESSAGE])
        for i in range(ENTITY_RUNS):
            extraction.append(_ms(partial(extract_entities, ENTITY_MESSAGE)))
            if i % 20 == 0:  # interleaved, so both see the same machine
                embedding.append(_ms(partial(embed_queries, [ENTITY_MESSAGE])))
    extraction.sort()
    p50, p99 = statistics.median(extraction), extraction[int(0.99 * len(extraction))]
    reference = statistics.median(embedding)
    figures["entities_p50_ms"], figures["entities_p99_ms"] = p50, p99
    figures["entities_p50_per_embedding"] = p50 / reference
    figures["entities_p99_per_embedding"] = p99 / reference
    return [
        f"Entity extraction on a 200-character message ({ENTITY_RUNS} runs): p50 "
        f"{p50 * 1000:.0f} µs, p99 {p99 * 1000:.0f} µs; one embedding of the same message on "
        f"one thread, interleaved: p50 {reference:.2f} ms. Ratios to that embedding: "
        f"**p50 {figures['entities_p50_per_embedding']:.4f}**, p99 "
        f"{figures['entities_p99_per_embedding']:.4f} (was a 0.2 ms assertion in the tests; "
        "the extractor should stay a small fraction of one embedding).",
    ]
