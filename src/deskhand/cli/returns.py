"""`deskhand returns token`: the brand staff's token for the returns API."""

from __future__ import annotations

import argparse

from deskhand.cli.common import settings_from
from deskhand.returns.staff import staff_token


def token(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=args.demo)
    print(staff_token(settings.resolved_secret_key(), args.brand))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("returns", help="returns: the staff API's token")
    inner = p.add_subparsers(dest="returns_command", required=True)
    t = inner.add_parser("token", help="print the staff token of a brand (Bearer, returns API)")
    t.add_argument("--brand", default="demo", help="the brand's slug (default: demo)")
    t.add_argument("--data-dir", help="where the data (and the demo's generated secret) live")
    t.add_argument("--demo", action="store_true", help="the demo's secret (deskhand demo)")
    t.set_defaults(run=token)
