"""How many cores one embedding borrows, and that the answer never changes the numbers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from deskhand.nlp import embeddings


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_cores", lambda: 2)
    monkeypatch.delenv("DESKHAND_EMBED_THREADS", raising=False)


def loadavg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "loadavg"
    path.write_text(text)
    monkeypatch.setattr(embeddings, "_LOADAVG", str(path))


@pytest.mark.usefixtures("two_cores")
@pytest.mark.parametrize(("running", "threads"), [(1, 2), (2, 1), (5, 1)])
def test_a_second_core_is_borrowed_only_while_one_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running: int, threads: int
) -> None:
    loadavg(tmp_path, monkeypatch, f"0.52 0.61 0.70 {running}/312 4242\n")
    assert embeddings.running_tasks() == running  # the caller itself is one of them
    assert embeddings.threads_now() == threads


@pytest.mark.usefixtures("two_cores")
def test_the_setting_caps_the_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loadavg(tmp_path, monkeypatch, "0.00 0.00 0.00 1/100 7\n")
    monkeypatch.setenv("DESKHAND_EMBED_THREADS", "1")
    assert embeddings.threads_now() == 1
    monkeypatch.setenv("DESKHAND_EMBED_THREADS", "8")
    assert embeddings.max_threads() == 2  # never more than the cores
    monkeypatch.setenv("DESKHAND_EMBED_THREADS", "lots")
    assert embeddings.max_threads() == 2  # nonsense: the default


@pytest.mark.usefixtures("two_cores")
def test_an_unreadable_load_means_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "_LOADAVG", str(tmp_path / "missing"))
    assert embeddings.running_tasks() is None
    assert embeddings.threads_now() == 1
    loadavg(tmp_path, monkeypatch, "garbage\n")
    assert embeddings.threads_now() == 1


def test_one_or_two_threads_give_the_same_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["wo bleibt meine Bestellung #1002?", "can i swap to L on 1002??"]
    vectors = []
    for threads in (1, 2):
        monkeypatch.setattr(embeddings, "threads_now", lambda t=threads: t)
        vectors.append(embeddings.embed_queries(texts))
    assert embeddings.last_threads == 2
    assert np.array_equal(vectors[0], vectors[1])


def test_numpy_blas_runs_on_the_calling_thread() -> None:
    """OpenBLAS workers would spin beside the embedding after every small product."""
    code = (
        "import deskhand, numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "print(max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "1"


def test_concurrent_calls_use_one_instance_per_core_and_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two shoppers at once embed on two instances; the numbers match the serial ones."""
    monkeypatch.setattr(embeddings, "_cores", lambda: 2)
    monkeypatch.delenv("DESKHAND_EMBED_MODELS", raising=False)
    pool = embeddings._Pool()
    monkeypatch.setattr(embeddings, "_pool", pool)
    texts = [f"where is order {n}? it was going to {c}" for n, c in enumerate("ABCDEFGH" * 3)]
    serial = {t: embeddings.embed_queries([t]) for t in texts}
    most_busy = 0
    results: dict[str, np.ndarray] = {}
    start = threading.Barrier(4)

    def shopper(part: list[str]) -> None:
        nonlocal most_busy
        start.wait()
        for text in part:
            results[text] = embeddings.embed_queries([text])
            most_busy = max(most_busy, pool.busy)

    threads = [threading.Thread(target=shopper, args=(texts[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert pool.created == 2  # never more instances than cores, however many callers
    assert pool.busy == 0
    assert all(np.array_equal(results[t], serial[t]) for t in texts)


def test_the_setting_caps_the_instances(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_cores", lambda: 4)
    monkeypatch.setenv("DESKHAND_EMBED_MODELS", "1")
    assert embeddings.pool_size() == 1
    monkeypatch.setenv("DESKHAND_EMBED_MODELS", "16")
    assert embeddings.pool_size() == 4
    monkeypatch.delenv("DESKHAND_EMBED_MODELS")
    assert embeddings.pool_size() == 4
