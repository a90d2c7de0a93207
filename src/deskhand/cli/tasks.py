"""`deskhand tasks crawl <url> | list`: heavy work queued for the workers (needs Redis)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select

from deskhand.cli.common import settings_from
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.demo import prepare_database
from deskhand.tasks.queue import TaskKind, TaskQueue, TaskQueueUnavailable


def tasks(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    prepare_database(settings)
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()), settings)
    with transaction(sessions) as session:
        brand = find_brand(session, args.brand)
        if brand is None:
            print("no such brand in this database", file=sys.stderr)
            return 2
        brand_id = brand.id
        if args.tasks_command == "list":
            rows = session.scalars(
                select(models.BackgroundTask)
                .where(models.BackgroundTask.brand_id == brand_id)
                .order_by(models.BackgroundTask.id.desc())
                .limit(args.limit)
            )
            for row in rows:
                print(f"{row.id:6} {row.status:8} {row.kind}  {row.params}  {row.result}")
            return 0
    try:
        queue = TaskQueue(settings)
    except TaskQueueUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    task_id = queue.submit(
        TaskKind.CRAWL_HELP_CENTRE,
        brand_id,
        url=args.url,
        max_pages=args.max_pages,
        language=args.language,
    )
    print(f"queued task {task_id}: `deskhand tasks list` shows how it went")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir")
    common.add_argument("--brand", help="brand slug (default: the first brand)")
    p = sub.add_parser("tasks", help="queue heavy work for the workers (needs DESKHAND_REDIS_URL)")
    ps = p.add_subparsers(dest="tasks_command", required=True)
    crawl = ps.add_parser("crawl", parents=[common], help="import a help centre in the background")
    crawl.add_argument("url")
    crawl.add_argument("--max-pages", type=int, default=200)
    crawl.add_argument("--language", default=None)
    listing = ps.add_parser("list", parents=[common], help="the latest tasks and how they went")
    listing.add_argument("--limit", type=int, default=20)
    p.set_defaults(run=tasks)
