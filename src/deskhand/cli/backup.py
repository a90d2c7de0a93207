"""`deskhand backup FILE` and `deskhand restore FILE`: SQLite, safe while serving.

PostgreSQL installations use `pg_dump -Fc` and `pg_restore` (docs/security.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deskhand.cli.common import settings_from
from deskhand.db import migrate
from deskhand.db.backup import NotABackup, NotSqlite, backup_sqlite, restore_sqlite
from deskhand.db.session import make_engine

PG_HINT = (
    'PostgreSQL: back up with `pg_dump -Fc -f deskhand.dump "$DATABASE"`, restore with '
    '`pg_restore --clean --if-exists -d "$DATABASE" deskhand.dump` (docs/security.md)'
)


def backup(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    try:
        pages = backup_sqlite(settings.resolved_database_url(), Path(args.file))
    except NotSqlite:
        print(PG_HINT, file=sys.stderr)
        return 2
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"no backup made: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {pages} pages to {args.file} (mode 0600)")
    return 0


def restore(args: argparse.Namespace) -> int:
    if not args.yes:
        print("restoring replaces the whole database: stop the server, add --yes", file=sys.stderr)
        return 2
    settings = settings_from(args, demo=False)
    url = settings.resolved_database_url()
    try:
        pages = restore_sqlite(Path(args.file), url)
    except NotSqlite:
        print(PG_HINT, file=sys.stderr)
        return 2
    except NotABackup as exc:
        print(f"nothing restored: {exc}", file=sys.stderr)
        return 1
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)  # a backup from an older version is brought up to date
    finally:
        engine.dispose()
    print(f"restored {pages} pages from {args.file}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("backup", help="copy the SQLite database to FILE, safe while serving")
    b.add_argument("file", help="the backup file to create (must not exist)")
    b.add_argument("--data-dir", help="where the SQLite database lives (default ./deskhand-data)")
    b.set_defaults(run=backup)
    r = sub.add_parser("restore", help="replace the SQLite database with a backup")
    r.add_argument("file", help="a file made by `deskhand backup`")
    r.add_argument("--data-dir", help="where the SQLite database lives (default ./deskhand-data)")
    r.add_argument("--yes", action="store_true", help="really replace the database")
    r.set_defaults(run=restore)
