"""`deskhand secrets rotate`: seal every integration's credentials under the current key.

Rotating the secret key: set the new `DESKHAND_SECRET_KEY`, put the old one in
`DESKHAND_PREVIOUS_SECRET_KEYS`, run `deskhand secrets rotate`, then drop the old key.
"""

from __future__ import annotations

import argparse
import sys

from deskhand.cli.common import settings_from
from deskhand.db.integrations import reseal_all
from deskhand.db.sealed import SealBroken
from deskhand.db.session import make_engine, make_sessionmaker, transaction


def rotate(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine, settings)) as session:
            count = reseal_all(session, settings)
    except SealBroken as exc:
        print(f"nothing changed: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # no secret key configured
        print(f"nothing changed: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"resealed the credentials of {count} integration(s) under the current key")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("secrets", help="manage the keys that seal stored credentials")
    actions = p.add_subparsers(dest="action", required=True)
    r = actions.add_parser(
        "rotate",
        help="reseal every integration's credentials under DESKHAND_SECRET_KEY "
        "(old keys in DESKHAND_PREVIOUS_SECRET_KEYS)",
    )
    r.add_argument("--data-dir", help="where the SQLite database lives (default ./deskhand-data)")
    r.set_defaults(run=rotate)
