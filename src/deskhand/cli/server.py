"""`deskhand demo | serve | worker | migrate`: run the product."""

from __future__ import annotations

import argparse
import os
import tempfile
import threading

import uvicorn

from deskhand.channels.worker import run_worker
from deskhand.cli.common import server_flags, settings_from
from deskhand.config import Settings
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.demo import prepare_database
from deskhand.tasks.queue import TaskQueue
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from deskhand.web.app import serving_app

# Keep idle connections open longer than clients and proxies keep theirs (browsers about
# 60-300 s, common load balancers 60 s): a server that closes first races a client reusing the
# connection, which then sees a reset mid-request (uvicorn's default is 5 s).
KEEP_ALIVE_SECONDS = 75


def serve(args: argparse.Namespace, demo: bool) -> int:
    settings = settings_from(args, demo)
    prepare_database(settings, reset=getattr(args, "reset", False))
    workers = getattr(args, "workers", 1)
    where = f"{settings.base_url}" + (f" with {workers} processes" if workers > 1 else "")
    print(f"Deskhand {'demo ' if demo else ''}running at {where}  (Ctrl+C stops)")
    if demo:
        print("Try: deskhand chat   ·   API docs: /docs   ·   codes: /api/v1/dev/outbox")
        print(
            f"Admin console: {settings.base_url}/admin  ·  sign in as {DEMO_OWNER_EMAIL}"
            f" with the password {DEMO_OWNER_PASSWORD}"
        )
    if workers > 1:
        _export(settings)  # each worker process builds its app from the environment
        uvicorn.run(
            "deskhand.web.app:app_from_environment",
            factory=True,
            host=args.host,
            port=args.port,
            workers=workers,
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return 0
    uvicorn.run(
        serving_app(settings),
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return 0


def _export(settings: Settings) -> None:
    """Hand the settings the flags changed to the worker processes; share one metrics view."""
    os.environ["DESKHAND_DEMO"] = "1" if settings.demo else "0"
    os.environ["DESKHAND_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["DESKHAND_BASE_URL"] = settings.base_url
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="deskhand-metrics-")


def worker(args: argparse.Namespace) -> int:
    """Deliver the outbox (SMS, WhatsApp, email) in the foreground until Ctrl+C."""
    settings = settings_from(args, demo=args.demo)
    prepare_database(settings)
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()), settings)
    # With Redis, the same process runs the background tasks (help-centre crawls).
    tasks = TaskQueue(settings).worker() if settings.redis_url else None
    if tasks is not None:
        tasks.start()
    print(
        "Deskhand worker delivering the outbox"
        + (" and running background tasks" if tasks else "")
        + " (Ctrl+C stops)",
        flush=True,
    )
    try:
        run_worker(settings, sessions, threading.Event())
    except KeyboardInterrupt:
        pass
    finally:
        if tasks is not None:
            tasks.stop()
    return 0


def migrate(args: argparse.Namespace) -> int:
    prepare_database(settings_from(args, demo=False))
    print("database is at the newest schema")
    return 0


def workers_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="app processes; more than one wants PostgreSQL and Redis (DESKHAND_REDIS_URL)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="run the demo store on SQLite, no accounts or keys")
    server_flags(demo)
    demo.add_argument("--reset", action="store_true", help="delete the demo data and reseed")
    workers_flag(demo)
    demo.set_defaults(run=lambda a: serve(a, demo=True))
    srv = sub.add_parser("serve", help="run the server (DESKHAND_* settings)")
    server_flags(srv)
    workers_flag(srv)
    srv.set_defaults(run=lambda a: serve(a, demo=False))
    wrk = sub.add_parser("worker", help="deliver the outbox (SMS, WhatsApp, email)")
    wrk.add_argument("--data-dir")
    wrk.add_argument("--demo", action="store_true", help="use the demo's data and dev outbox")
    wrk.set_defaults(run=worker)
    mig = sub.add_parser("migrate", help="bring the database to the newest schema")
    mig.add_argument("--data-dir")
    mig.set_defaults(run=migrate)
