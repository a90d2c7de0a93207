"""`deskhand demo | serve | worker | migrate`: run the product."""

from __future__ import annotations

import argparse
import threading

import uvicorn

from deskhand.agent.understand.hygiene import vocabulary
from deskhand.channels.worker import run_worker, start_worker_thread
from deskhand.cli.common import server_flags, settings_from
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.demo import prepare_database
from deskhand.nlp.embeddings import warm_up
from deskhand.web.app import create_app


def serve(args: argparse.Namespace, demo: bool) -> int:
    settings = settings_from(args, demo)
    prepare_database(settings, reset=getattr(args, "reset", False))
    warm_up()
    vocabulary()  # the typo corrector's word lists, built once rather than on a first message
    app = create_app(settings)
    start_worker_thread(settings, app.state.deskhand.sessions, app.state.deskhand.agent)
    print(f"Deskhand {'demo ' if demo else ''}running at {settings.base_url}  (Ctrl+C stops)")
    if demo:
        print("Try: deskhand chat   ·   API docs: /docs   ·   codes: /api/v1/dev/outbox")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def worker(args: argparse.Namespace) -> int:
    """Deliver the outbox (SMS, WhatsApp, email) in the foreground until Ctrl+C."""
    settings = settings_from(args, demo=args.demo)
    prepare_database(settings)
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()))
    print("Deskhand worker delivering the outbox (Ctrl+C stops)")
    try:
        run_worker(settings, sessions, threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


def migrate(args: argparse.Namespace) -> int:
    prepare_database(settings_from(args, demo=False))
    print("database is at the newest schema")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="run the demo store on SQLite, no accounts or keys")
    server_flags(demo)
    demo.add_argument("--reset", action="store_true", help="delete the demo data and reseed")
    demo.set_defaults(run=lambda a: serve(a, demo=True))
    srv = sub.add_parser("serve", help="run the server (DESKHAND_* settings)")
    server_flags(srv)
    srv.set_defaults(run=lambda a: serve(a, demo=False))
    wrk = sub.add_parser("worker", help="deliver the outbox (SMS, WhatsApp, email)")
    wrk.add_argument("--data-dir")
    wrk.add_argument("--demo", action="store_true", help="use the demo's data and dev outbox")
    wrk.set_defaults(run=worker)
    mig = sub.add_parser("migrate", help="bring the database to the newest schema")
    mig.add_argument("--data-dir")
    mig.set_defaults(run=migrate)
