"""`deskhand bench scale`: what more processes buy, on PostgreSQL and Redis.

Turn throughput with 1, 2 and 4 app processes (`deskhand demo --workers N`) on PostgreSQL
and Redis, against one process on the embedded SQLite, each under the same closed loop of
shoppers; then outbox throughput with 1, 2 and 3 `deskhand worker` processes draining the
same backlog. All in one run, reported as ratios to the first row of each table, since the
machine's speed changes by the hour. Needs a PostgreSQL server (`--database-url`, a database
the benchmark may create others beside) and a Redis (`DESKHAND_REDIS_URL` or redis://127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from deskhand.bench.loadgen import closed_loop
from deskhand.bench.report import write_section
from deskhand.bench.server import LIFTED_LIMITS, server_process
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.demo import prepare_database
from deskhand.jobs.outbox import enqueue

TITLE = "Scale-out (`deskhand bench scale`)"
CLIENTS = 32  # enough to keep four processes busy on two cores
Summary = dict[str, float]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new database on the server of `server_url`, dropped afterwards."""
    name = f"deskhand_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def turns_per_second(data_dir: Path, workers: int, env: dict[str, str], seconds: float) -> Summary:
    data_dir.mkdir(parents=True, exist_ok=True)
    with server_process(data_dir, workers=workers, extra_env=env, log=data_dir / "log") as s:
        asyncio.run(closed_loop(s.base, 4, 3.0))  # warm every process, untimed
        return asyncio.run(closed_loop(s.base, CLIENTS, seconds)).summary()


def outbox_per_second(database_url: str, workers: int, jobs: int, data_dir: Path) -> float:
    """Emails per second drained by `workers` processes, timed from the enqueue (the
    workers are started and idle first, so their start-up is not counted)."""
    env = {
        **os.environ,
        "DESKHAND_DATABASE_URL": database_url,
        "DESKHAND_DATA_DIR": str(data_dir),
        "DESKHAND_WORKER_POLL_SECONDS": "0.05",
    }
    command = [sys.executable, "-m", "deskhand.cli", "worker", "--demo"]  # dev transport
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    engine = make_engine(database_url)
    try:
        for proc in procs:
            assert proc.stdout is not None
            proc.stdout.readline()  # "Deskhand worker delivering the outbox": it is polling
        with transaction(make_sessionmaker(engine)) as session:
            brand_id = session.scalar(select(models.Brand.id))
            assert brand_id is not None
            now = datetime.now(UTC)
            for n in range(jobs):
                enqueue(
                    session,
                    brand_id=brand_id,
                    kind="email",
                    recipient=f"bench{n}@example.com",
                    subject=f"bench {n}",
                    body="hello",
                    idempotency_key=f"bench-{uuid.uuid4().hex}",
                    now=now,
                )
        started = time.perf_counter()
        due = models.OutboxMessage.status.in_(("pending", "retry", "sending"))
        while True:
            with engine.connect() as conn:
                if not conn.scalar(select(func.count()).where(due)):
                    break
            time.sleep(0.02)
        return jobs / (time.perf_counter() - started)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        engine.dispose()


def main(args: argparse.Namespace) -> int:
    for key, value in LIFTED_LIMITS.items():
        os.environ.setdefault(key, value)
    redis_url = os.environ.get("DESKHAND_REDIS_URL", "redis://127.0.0.1:6379/15")
    server_url = args.database_url or DEFAULT_PG
    turn_rows, outbox_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.data_dir or tmp)
        embedded = turns_per_second(root / "sqlite", 1, {}, args.http_seconds)
        turn_rows.append(("embedded (SQLite, 1 process)", embedded))
        for workers in (1, 2, 4):
            with scratch_database(server_url) as url:
                env = {"DESKHAND_DATABASE_URL": url, "DESKHAND_REDIS_URL": redis_url}
                summary = turns_per_second(root / f"pg{workers}", workers, env, args.http_seconds)
                turn_rows.append((f"PostgreSQL + Redis, {workers} processes", summary))
        with scratch_database(server_url) as url:
            # The demo brand, for the outbox rows to belong to.
            prepare_database(Settings(database_url=url, demo=True, data_dir=root / "seed"))
            for workers in (1, 2, 3):
                rate = outbox_per_second(url, workers, args.jobs, root / f"w{workers}")
                outbox_rows.append((workers, rate))
    base = turn_rows[0][1]["per_second"]
    one = outbox_rows[0][1]
    body = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on this {os.cpu_count()}-core "
            f"machine: {CLIENTS} shoppers in a closed loop for {args.http_seconds:.0f} s "
            "against each setup (policy questions, a new conversation every three).",
            "",
            "| setup | answers/s | ratio to embedded | p50 ms | p99 ms | errors | dropped |",
            "|---|---|---|---|---|---|---|",
            *(
                f"| {name} | {s['per_second']:.1f} | {s['per_second'] / base:.2f} | "
                f"{s['p50_ms']:.0f} | {s['p99_ms']:.0f} | {int(s['errors'])} | "
                f"{int(s['dropped'])} |"
                for name, s in turn_rows
            ),
            "",
            f"Outbox: {args.jobs} emails per run through the dev transport (no network), so "
            "the figure is the queue itself: claiming, recording, and the workers' contention.",
            "",
            "| workers | emails/s | ratio to one worker |",
            "|---|---|---|",
            *(f"| {w} | {rate:.0f} | {rate / one:.2f} |" for w, rate in outbox_rows),
        ]
    )
    print(body)
    write_section(Path(args.out), TITLE, body)
    return 0
