"""`deskhand privacy export | erase | purge`: a shopper's data, as EU law asks brands to answer.

- `export ADDRESS [--out FILE]`: everything held about the shopper with this email or phone,
  as JSON (a file is created readable by its owner only: it holds personal data).
- `erase ADDRESS --yes`: redact their conversations and remove their personal fields; the
  metrics stay, anonymous.
- `purge`: redact transcripts older than DESKHAND_TRANSCRIPT_RETENTION_DAYS now (the worker
  does this on its own every hour).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from deskhand.cli.common import settings_from
from deskhand.config import Settings, write_private
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.privacy.erase import erase_shopper
from deskhand.privacy.export import export_shopper
from deskhand.privacy.retention import purge_old_transcripts


def _settings(args: argparse.Namespace) -> Settings:
    return settings_from(args, demo=False)


def export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine, settings)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print(f"no brand {args.brand!r}", file=sys.stderr)
                return 2
            doc = export_shopper(session, brand, args.address, datetime.now(UTC))
    finally:
        engine.dispose()
    if doc is None:
        print(f"{args.address!r} is neither an email address nor a phone number", file=sys.stderr)
        return 2
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    if args.out:
        write_private(Path(args.out), text + "\n")
        print(f"wrote {args.out} ({len(doc['conversations'])} conversation(s))")
    else:
        print(text)
    return 0


def erase(args: argparse.Namespace) -> int:
    if not args.yes:
        print("erasing cannot be undone: add --yes to go ahead", file=sys.stderr)
        return 2
    settings = _settings(args)
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine, settings)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print(f"no brand {args.brand!r}", file=sys.stderr)
                return 2
            done = erase_shopper(session, brand, args.address, datetime.now(UTC))
    finally:
        engine.dispose()
    if done is None:
        print(f"{args.address!r} is neither an email address nor a phone number", file=sys.stderr)
        return 2
    store = "anonymised" if done.customer else "not held here (erase it in the shop system)"
    print(
        f"erased: {done.conversations} conversation(s), {done.messages} message(s) redacted; "
        f"customer record {store}"
    )
    return 0


def purge(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.transcript_retention_days <= 0:
        print("DESKHAND_TRANSCRIPT_RETENTION_DAYS is 0: transcripts are kept", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url())
    total, count = 0, -1
    try:
        while count != 0:
            with transaction(make_sessionmaker(engine, settings)) as session:
                count = purge_old_transcripts(session, settings, datetime.now(UTC))
            total += count
    finally:
        engine.dispose()
    print(f"redacted {total} conversation(s) older than {settings.transcript_retention_days} days")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("privacy", help="export or erase a shopper's data; purge old transcripts")
    actions = p.add_subparsers(dest="action", required=True)
    for name, run, help_text in (
        ("export", export, "everything held about a shopper, as JSON"),
        ("erase", erase, "redact a shopper's conversations and personal fields"),
    ):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("address", help="the shopper's email address or phone number (E.164)")
        a.add_argument("--brand", help="the brand's slug (default: the first brand)")
        a.add_argument("--data-dir", help="where the SQLite database lives")
        a.set_defaults(run=run)
    actions.choices["export"].add_argument("--out", help="write to this file (mode 0600)")
    actions.choices["erase"].add_argument("--yes", action="store_true", help="really erase")
    g = actions.add_parser("purge", help="redact transcripts past the retention now")
    g.add_argument("--data-dir", help="where the SQLite database lives")
    g.set_defaults(run=purge)
