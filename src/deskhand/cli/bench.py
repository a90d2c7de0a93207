"""`deskhand bench <scenario>`: one line in SCENARIOS per benchmark."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from deskhand.bench import dialogue as bench_dialogue
from deskhand.bench import kb as bench_kb
from deskhand.bench import load as bench_load
from deskhand.bench import no_answer as bench_no_answer
from deskhand.bench import scale as bench_scale
from deskhand.bench import shopify as bench_shopify
from deskhand.bench import turns as bench_turns
from deskhand.bench import understanding as bench_understanding
from deskhand.cli.common import needs_bench_extra

SCENARIOS: dict[str, Callable[[argparse.Namespace], int]] = {
    "turns": bench_turns.main,
    "kb": bench_kb.main,
    "load": bench_load.main,
    "scale": bench_scale.main,
    "understanding": bench_understanding.main,
    "shopify": bench_shopify.main,
    "dialogue": bench_dialogue.main,
    "no-answer": bench_no_answer.main,
}


def bench(args: argparse.Namespace) -> int:
    try:
        return SCENARIOS[args.scenario](args)
    except ImportError as exc:  # scikit-learn and matplotlib live in the `bench` extra
        return needs_bench_extra(exc)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bench", help="run a benchmark")
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--data-dir", default=None)
    p.add_argument("--out", default="docs/benchmarks.md")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--http-seconds", type=float, default=10.0)
    p.add_argument(
        "--bitext", default=None, help="Bitext data folder (default ../shared/external/bitext/)"
    )
    p.add_argument("--workers", type=int, default=1, help="load: app processes to start")
    p.add_argument("--clients", type=int, default=200, help="load: the large closed loop")
    p.add_argument("--ws-clients", type=int, default=50, help="load: WebSocket shoppers")
    p.add_argument("--jobs", type=int, default=2000, help="scale: outbox emails per run")
    p.add_argument(
        "--database-url", default=None, help="scale: a PostgreSQL database (others are made beside)"
    )
    p.add_argument("--orders", type=int, default=10_000, help="shopify: orders (bulk sync)")
    p.add_argument("--paged-orders", type=int, default=1_000, help="shopify: orders (pages)")
    p.add_argument("--restore-rate", type=float, default=100.0, help="shopify: points/second")
    p.set_defaults(run=bench)
