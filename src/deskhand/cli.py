"""`deskhand demo | serve | worker | migrate | chat | train-intents | bench`."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

import uvicorn

from deskhand.agent.understand import training
from deskhand.bench import kb as bench_kb
from deskhand.bench import turns as bench_turns
from deskhand.bench import understanding as bench_understanding
from deskhand.channels.plain import render_plain
from deskhand.channels.worker import run_worker, start_worker_thread
from deskhand.config import Settings
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.demo import prepare_database
from deskhand.knowledge.commands import add_kb_parser, run_kb
from deskhand.nlp.embeddings import warm_up
from deskhand.web.app import create_app
from deskhand.web.client import InProcessClient


def _settings(args: argparse.Namespace, demo: bool) -> Settings:
    overrides: dict[str, object] = {"demo": demo}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "port", None):
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
        overrides["base_url"] = os.environ.get("DESKHAND_BASE_URL", f"http://{host}:{args.port}")
    return Settings(**overrides)  # type: ignore[arg-type]  # keys are checked by pydantic


def cmd_serve(args: argparse.Namespace, demo: bool) -> int:
    settings = _settings(args, demo)
    prepare_database(settings, reset=getattr(args, "reset", False))
    warm_up()
    app = create_app(settings)
    start_worker_thread(settings, app.state.deskhand.sessions, app.state.deskhand.agent)
    print(f"Deskhand {'demo ' if demo else ''}running at {settings.base_url}  (Ctrl+C stops)")
    if demo:
        print("Try: deskhand chat   ·   API docs: /docs   ·   codes: /api/v1/dev/outbox")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Deliver the outbox (SMS, WhatsApp, email) in the foreground until Ctrl+C."""
    settings = _settings(args, demo=args.demo)
    prepare_database(settings)
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url()))
    print("Deskhand worker delivering the outbox (Ctrl+C stops)")
    try:
        run_worker(settings, sessions, threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args, demo=False)
    prepare_database(settings)
    print("database is at the newest schema")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings(args, demo=True)
    prepare_database(settings)
    client = InProcessClient(settings)
    conv = client.start(locale=args.locale)
    print(
        "Chat with the Fjord & Finch demo agent. Type 'quit' to leave; '/1', '/2' press a "
        "button.\nDemo shoppers: ava@example.com, ben@example.com, chloe@example.com, "
        "dan@example.com\n"
    )
    buttons: list[str] = []
    seen_outbox = {m["id"] for m in client.outbox()}
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.lower() in ("quit", "exit", ":q"):
            return 0
        if not line:
            continue
        if line.startswith("/") and line[1:].isdigit() and 0 < int(line[1:]) <= len(buttons):
            status, body = conv.send(action=buttons[int(line[1:]) - 1])
        else:
            status, body = conv.send(text=line)
        if status != 200:
            print(f"[{status}] {body.get('title')}: {body.get('detail', '')}")
            continue
        buttons = []
        for message in body["messages"]:
            for block in message["blocks"]:
                for b in block.get("buttons", []):
                    buttons.append(b["action"])
            print("agent> " + render_plain(message["blocks"]).replace("\n", "\n       "))
            print(f"       ({message['meta']['skill']} · {message['meta']['outcome']})")
        if buttons:
            print("       buttons: " + "  ".join(f"/{i + 1}" for i in range(len(buttons))))
        for m in client.outbox():
            if m["id"] not in seen_outbox:
                seen_outbox.add(m["id"])
                print(f"  ✉ [demo outbox → {m['to']}] {m['subject']}")


def cmd_train(args: argparse.Namespace) -> int:
    try:
        # threadpoolctl comes with scikit-learn (the `bench` extra), loaded only to train.
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=os.cpu_count(), user_api="blas"):  # see deskhand/__init__
            stats = training.train()
    except ImportError as exc:  # scikit-learn lives in the `bench` extra
        return _needs_bench_extra(exc)
    print(
        f"trained on {int(stats['examples'])} examples: C={stats['c']:g}, embedding scale "
        f"{stats['embedding_scale']:g}, cross-validated accuracy {stats['cv_accuracy']:.3f}; "
        f"temperature {stats['temperature']:.2f} (ECE {stats['cv_ece_before']:.3f} -> "
        f"{stats['cv_ece']:.3f}); unsure below {stats['unsure_floor']:.2f} or a top-2 margin "
        f"under {stats['unsure_margin']:.2f}; training accuracy {stats['train_accuracy']:.3f}"
    )
    return 0


def _needs_bench_extra(exc: ImportError) -> int:
    print(f"{exc}: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
    return 2


def cmd_bench(args: argparse.Namespace) -> int:
    if args.scenario == "turns":
        return bench_turns.main(args)
    if args.scenario == "understanding":
        try:
            return bench_understanding.main(args)
        except ImportError as exc:  # scikit-learn and matplotlib live in the `bench` extra
            return _needs_bench_extra(exc)
    if args.scenario == "kb":
        return bench_kb.main(args)
    print(f"unknown benchmark {args.scenario!r}", file=sys.stderr)
    return 2


def cmd_kb(args: argparse.Namespace) -> int:
    code, lines = run_kb(_settings(args, demo=False), args)
    for line in lines:
        print(line, file=sys.stderr if code and line.startswith("error") else sys.stdout)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskhand", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def server_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument(
            "--data-dir", help="where the SQLite database lives (default ./deskhand-data)"
        )

    demo = sub.add_parser("demo", help="run the demo store on SQLite, no accounts or keys")
    server_flags(demo)
    demo.add_argument("--reset", action="store_true", help="delete the demo data and reseed")
    serve = sub.add_parser("serve", help="run the server (DESKHAND_* settings)")
    server_flags(serve)
    worker = sub.add_parser("worker", help="deliver the outbox (SMS, WhatsApp, email)")
    worker.add_argument("--data-dir")
    worker.add_argument("--demo", action="store_true", help="use the demo's data and dev outbox")
    mig = sub.add_parser("migrate", help="bring the database to the newest schema")
    mig.add_argument("--data-dir")
    chat = sub.add_parser("chat", help="talk to the demo agent in the terminal")
    chat.add_argument("--data-dir")
    chat.add_argument("--locale", default=None)
    sub.add_parser("train-intents", help="retrain the intent head from the example corpus")
    bench = sub.add_parser("bench", help="run a benchmark")
    bench.add_argument("scenario", choices=["turns", "kb", "understanding"])
    bench.add_argument("--data-dir", default=None)
    bench.add_argument("--out", default="docs/benchmarks.md")
    bench.add_argument("--rounds", type=int, default=5)
    bench.add_argument("--http-seconds", type=float, default=10.0)
    bench.add_argument(
        "--bitext", default=None, help="Bitext data folder (default ../shared/external/bitext/)"
    )
    add_kb_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return cmd_serve(args, demo=True)
    if args.command == "serve":
        return cmd_serve(args, demo=False)
    if args.command == "worker":
        return cmd_worker(args)
    if args.command == "migrate":
        return cmd_migrate(args)
    if args.command == "chat":
        return cmd_chat(args)
    if args.command == "train-intents":
        return cmd_train(args)
    if args.command == "kb":
        return cmd_kb(args)
    return cmd_bench(args)


if __name__ == "__main__":
    sys.exit(main())
