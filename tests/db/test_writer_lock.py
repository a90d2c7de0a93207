"""The SQLite writer lock: one writer at a time, reentrant in its thread, and released by
the thread that ends the unit of work even when another began it (FastAPI runs a generator
dependency's two halves in two worker threads)."""

from __future__ import annotations

import threading

from deskhand.db.session import WriterLock


def test_released_by_another_thread_then_free_again() -> None:
    lock = WriterLock()
    entered = threading.Thread(target=lock.__enter__)
    entered.start()
    entered.join()
    ended = threading.Thread(target=lock.__exit__)
    ended.start()
    ended.join()
    done = threading.Event()

    def take() -> None:
        with lock:
            done.set()

    waiter = threading.Thread(target=take)
    waiter.start()
    waiter.join(timeout=5)
    assert done.is_set()


def test_one_writer_at_a_time_and_reentrant_in_its_thread() -> None:
    lock = WriterLock()
    got_in = threading.Event()

    def other() -> None:
        with lock:
            got_in.set()

    with lock:
        with lock:  # the same thread again: no deadlock
            pass
        waiter = threading.Thread(target=other)
        waiter.start()
        assert not got_in.wait(0.2)  # still held by this thread
    waiter.join(timeout=5)
    assert got_in.is_set()
