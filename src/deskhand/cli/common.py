"""What every command shares: settings from flags and the server flags."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from deskhand.config import Settings


def settings_from(args: argparse.Namespace, demo: bool) -> Settings:
    overrides: dict[str, object] = {"demo": demo}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "port", None):
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
        overrides["base_url"] = os.environ.get("DESKHAND_BASE_URL", f"http://{host}:{args.port}")
    return Settings(**overrides)  # type: ignore[arg-type]  # keys are checked by pydantic


def server_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", help="where the SQLite database lives (default ./deskhand-data)")


def needs_bench_extra(exc: ImportError) -> int:
    print(f"{exc}: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
    return 2
