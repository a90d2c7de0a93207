"""`deskhand bench <scenario>`: one line in SCENARIOS per benchmark."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from deskhand.bench import kb as bench_kb
from deskhand.bench import no_answer as bench_no_answer
from deskhand.bench import turns as bench_turns
from deskhand.bench import understanding as bench_understanding
from deskhand.cli.common import needs_bench_extra

SCENARIOS: dict[str, Callable[[argparse.Namespace], int]] = {
    "turns": bench_turns.main,
    "kb": bench_kb.main,
    "understanding": bench_understanding.main,
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
    p.set_defaults(run=bench)
