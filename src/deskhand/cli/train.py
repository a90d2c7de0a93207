"""`deskhand train-intents`: retrain the intent head from the example corpus."""

from __future__ import annotations

import argparse
import os

from deskhand.agent.understand import training
from deskhand.cli.common import needs_bench_extra


def train(args: argparse.Namespace) -> int:
    try:
        # threadpoolctl comes with scikit-learn (the `bench` extra), loaded only to train.
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=os.cpu_count(), user_api="blas"):  # see deskhand/__init__
            stats = training.train()
    except ImportError as exc:  # scikit-learn lives in the `bench` extra
        return needs_bench_extra(exc)
    print(
        f"trained on {int(stats['examples'])} examples: C={stats['c']:g}, embedding scale "
        f"{stats['embedding_scale']:g}, cross-validated accuracy {stats['cv_accuracy']:.3f}; "
        f"temperature {stats['temperature']:.2f} (ECE {stats['cv_ece_before']:.3f} -> "
        f"{stats['cv_ece']:.3f}); unsure below {stats['unsure_floor']:.2f} or a top-2 margin "
        f"under {stats['unsure_margin']:.2f}; training accuracy {stats['train_accuracy']:.3f}"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("train-intents", help="retrain the intent head from the example corpus")
    p.set_defaults(run=train)
