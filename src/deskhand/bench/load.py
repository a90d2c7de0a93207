"""`deskhand bench load`: concurrent shoppers against a server in its own process.

Closed loops over HTTP (1, 4 and 200 shoppers asking back-to-back) and over the WebSocket,
then an open loop at half the measured capacity with 5-15 s of thinking between messages.
Two references are measured in the same run, since the machine's speed varies by the hour:
one embedding on one thread, and one turn in process (no socket). The targets are ratios:
4 clients reach 0.8 of cores ÷ turn time; 200 clients keep 0.9 of the 4-client throughput
with no errors and no dropped connection; the open loop's p99 stays within 4 × the single
client's p50.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from deskhand.bench.loadgen import QUESTIONS, Tally, closed_loop, open_loop, websocket_loop
from deskhand.bench.report import write_section
from deskhand.bench.server import LIFTED_LIMITS, server_process
from deskhand.bench.turns import bench_settings
from deskhand.demo import prepare_database
from deskhand.nlp import embeddings
from deskhand.web.client import InProcessClient

TITLE = "Load and concurrency (`deskhand bench load`)"


def one_core_embedding_ms(samples: int = 40) -> float:
    """Median time of one query embedding on one thread (the machine's speed right now)."""
    before = os.environ.get("DESKHAND_EMBED_THREADS")
    os.environ["DESKHAND_EMBED_THREADS"] = "1"
    try:
        embeddings.warm_up()
        times = []
        for i in range(samples):
            start = time.perf_counter()
            embeddings.embed_queries([QUESTIONS[i % len(QUESTIONS)]])
            times.append(time.perf_counter() - start)
    finally:
        if before is None:
            os.environ.pop("DESKHAND_EMBED_THREADS", None)
        else:
            os.environ["DESKHAND_EMBED_THREADS"] = before
    return 1000 * statistics.median(times)


def in_process_turn_ms(data_dir: Path, turns: int = 60) -> float:
    """Median time of one policy question answered through the app without a socket."""
    settings = bench_settings(data_dir)
    prepare_database(settings, reset=True)
    client = InProcessClient(settings)
    times = []
    conv = client.start()
    for i in range(turns + 8):
        if i % 3 == 0:
            conv = client.start()
        start = time.perf_counter()
        status, _ = conv.send(text=QUESTIONS[i % len(QUESTIONS)])
        if i >= 8:  # the first few warm caches
            times.append(time.perf_counter() - start)
        assert status == 200, status
    return 1000 * statistics.median(times)


def _row(name: str, tally: Tally) -> tuple[str, dict[str, float]]:
    s = tally.summary()
    return (
        f"| {name} | {int(s['answers'])} | {s['per_second']:.1f} | {s['p50_ms']:.0f} | "
        f"{s['p99_ms']:.0f} | {s['max_ms']:.0f} | {s['create_p50_ms']:.0f} | "
        f"{int(s['errors'])} | {int(s['dropped'])} |",
        s,
    )


def run(args: argparse.Namespace, data_dir: Path) -> tuple[str, dict[str, dict[str, float]]]:
    seconds = args.http_seconds
    embed_ms = one_core_embedding_ms()
    turn_ms = in_process_turn_ms(data_dir / "inproc")
    cores = len(os.sched_getaffinity(0))
    # The shoppers' event loop shares this process with the in-process reference's app and
    # model: a full collection over all that stalled every shopper for 170 ms at a time and
    # counted as the server's latency. Frozen, the collector leaves it alone.
    gc.collect()
    gc.freeze()
    results: dict[str, dict[str, float]] = {}
    rows: list[str] = []
    env = {"DESKHAND_INLINE_WORKER": "1"}
    with server_process(
        data_dir / "served", workers=args.workers, extra_env=env, log=data_dir / "server.log"
    ) as server:
        asyncio.run(closed_loop(server.base, 4, 3.0))  # warm the server's caches, untimed
        for name, clients in (("HTTP, 1 client", 1), ("HTTP, 4 clients", 4)):
            rows_s = _row(name, asyncio.run(closed_loop(server.base, clients, seconds)))
            rows.append(rows_s[0])
            results[name] = rows_s[1]
        big = f"HTTP, {args.clients} clients"
        rows_s = _row(big, asyncio.run(closed_loop(server.base, args.clients, seconds * 1.5)))
        rows.append(rows_s[0])
        results[big] = rows_s[1]
        ws = f"WebSocket, {args.ws_clients} clients"
        rows_s = _row(ws, asyncio.run(websocket_loop(server.base, args.ws_clients, seconds)))
        rows.append(rows_s[0])
        results[ws] = rows_s[1]
        capacity = results["HTTP, 4 clients"]["per_second"]
        arrivals = capacity / 2 / 3  # shoppers per second: half the capacity in messages
        name = f"open loop, {arrivals:.1f} shoppers/s (half capacity)"
        rows_s = _row(name, asyncio.run(open_loop(server.base, arrivals, seconds * 2)))
        rows.append(rows_s[0])
        results["open"] = rows_s[1]

    ideal = cores * 1000 / turn_ms
    four = results["HTTP, 4 clients"]["per_second"]
    many = results[big]
    single_p50 = results["HTTP, 1 client"]["p50_ms"]
    checks = [
        ("4 clients ÷ (cores ÷ in-process turn)", four / ideal, 0.8),
        (f"{args.clients} clients ÷ 4 clients", many["per_second"] / four, 0.9),
        ("open-loop p99 ÷ single-client p50 (at most)", results["open"]["p99_ms"] / single_p50, 4),
    ]
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on this {cores}-core machine; the "
        f"server is `deskhand serve --workers {args.workers}` on SQLite in its own process, the "
        "shoppers are asyncio clients in the benchmark's process on the same machine.",
        "",
        f"References from the same run: one embedding on one thread **{embed_ms:.1f} ms**; "
        f"one turn in process (a policy question, no socket) **{turn_ms:.1f} ms**, so two cores "
        f"allow about {ideal:.0f} turns/s.",
        "",
        "| load | answers | answers/s | p50 ms | p99 ms | max ms | create p50 ms | errors | "
        "dropped |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "| target | measured | bound |",
        "|---|---|---|",
        *(
            f"| {label} | {value:.2f} | {'≤' if 'at most' in label else '≥'} {bound} |"
            for label, value, bound in checks
        ),
    ]
    return "\n".join(lines), results


def plot(results: dict[str, dict[str, float]], path: Path) -> None:
    # matplotlib lives in the `bench` extra, loaded only to draw.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # the bench extra, after choosing the file backend

    names = list(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    left.barh(names, [results[n]["per_second"] for n in names], color="#2f6b4f")
    left.set_xlabel("answers per second")
    left.invert_yaxis()
    p50 = [results[n]["p50_ms"] for n in names]
    p99 = [results[n]["p99_ms"] for n in names]
    y = range(len(names))
    right.barh([i - 0.2 for i in y], p50, height=0.4, label="p50", color="#2f6b4f")
    right.barh([i + 0.2 for i in y], p99, height=0.4, label="p99", color="#c9a227")
    right.set_yticks(list(y), [""] * len(names))
    right.set_xscale("log")
    right.set_xlabel("latency, ms (log)")
    right.invert_yaxis()
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(args: argparse.Namespace) -> int:
    for key, value in LIFTED_LIMITS.items():
        os.environ.setdefault(key, value)
    with tempfile.TemporaryDirectory() as tmp:
        body, results = run(args, Path(args.data_dir or tmp))
    out = Path(args.out)
    picture = out.parent / "benchmarks-load.png"
    plot(results, picture)
    body += f"\n\n![throughput and latency per load]({picture.name})"
    print(body)
    write_section(out, TITLE, body)
    return 0
