"""`deskhand bench turns`: turn latency in process and HTTP throughput against a local server.

A fixed multilingual script (six languages, each a whole conversation with verification)
runs through the real engine on a fresh demo database. In-process figures time one
POST /messages through the app without a socket; the HTTP figures come from a real
uvicorn server on 127.0.0.1 and several client threads.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from deskhand.bench.report import write_section
from deskhand.config import Settings
from deskhand.demo import prepare_database
from deskhand.nlp.embeddings import warm_up
from deskhand.web.app import create_app
from deskhand.web.client import InProcessClient

SCRIPT: dict[str, list[str]] = {
    "en": [
        "hi there",
        "how long does shipping to Germany take?",
        "Can I change the size of my last order?",
        "ava@example.com",
        "<code>",
        "and could I cancel order 1002 instead?",
        "can I add socks to my order?",
        "thanks!",
    ],
    "de": [
        "Hallo!",
        "Wie lange habe ich Zeit, eine Bestellung zu ändern?",
        "Ich möchte meine Bestellung stornieren",
        "ben@example.com",
        "<code>",
        "die Bestellung 1004 bitte",
        "Wo ist meine Bestellung?",
        "danke dir",
    ],
    "nl": [
        "hoi",
        "wat is jullie retourbeleid?",
        "kan ik mijn adres nog wijzigen?",
        "ava@example.com",
        "<code>",
        "bestelling 1002",
        "bedankt",
    ],
    "sv": [
        "hej",
        "vilka betalsätt har ni?",
        "jag vill ändra storlek på min beställning",
        "chloe@example.com",
        "<code>",
        "1007",
        "tack så mycket",
    ],
    "fr": [
        "bonjour",
        "annuler ma commande svp",
        "ben@example.com",
        "<code>",
        "la commande 1006",
        "quels sont les délais de livraison ?",
        "merci",
    ],
    "es": [
        "hola",
        "quiero cambiar la talla de mi pedido 1001",
        "ava@example.com",
        "<code>",
        "¿y puedo cancelarlo?",
        "¿cuánto tardan los reembolsos?",
        "gracias",
    ],
}
EMAIL = re.compile(r"^\S+@\S+$")
CODE = re.compile(r"\b\d{6}\b")


def bench_settings(data_dir: Path) -> Settings:
    # The script verifies the same addresses many times: lift the per-address code limit.
    return Settings(
        data_dir=data_dir,
        demo=True,
        codes_per_address_per_hour=100_000,
        codes_per_client_per_hour=100_000,
        messages_per_minute=100_000,
        conversations_per_minute=100_000,
    )


def run_script(client: InProcessClient, lang: str, timings: list[float]) -> None:
    conv = client.start(locale=lang)
    email = ""
    for line in SCRIPT[lang]:
        text = line
        if EMAIL.match(line):
            email = line
        if line == "<code>":
            subject = client.outbox(email)[0]["subject"]
            match = CODE.search(subject)
            assert match, subject
            text = match.group(0)
        start = time.perf_counter()
        status, body = conv.send(text=text)
        timings.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"{lang}: {text!r} -> {status} {body}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_throughput(settings: Settings, seconds: float, workers: int) -> dict[str, float]:
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    texts = [t for lines in SCRIPT.values() for t in lines if t != "<code>" and not EMAIL.match(t)]
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            r = http.post("/api/v1/conversations", json={"channel": "webchat"})
            conv, token = r.json()["id"], r.json()["token"]
            i = n
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                r = http.post(
                    f"/api/v1/conversations/{conv}/messages",
                    json={"text": texts[i % len(texts)]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                r.raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - start)
                i += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    elapsed = time.perf_counter() - started
    server.should_exit = True
    thread.join(timeout=10)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "workers": workers,
    }


def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(args.data_dir or tmp))
        prepare_database(settings, reset=True)
        warm_up()
        client = InProcessClient(settings)
        for lang in SCRIPT:  # one untimed pass warms caches and the connection pool
            run_script(client, lang, [])
        per_lang: dict[str, list[float]] = {lang: [] for lang in SCRIPT}
        for _ in range(args.rounds):
            for lang in SCRIPT:
                run_script(client, lang, per_lang[lang])
        every = [t for ts in per_lang.values() for t in ts]
        http = http_throughput(settings, args.http_seconds, workers=4)

    rows = [
        f"| {lang} | {len(ts)} | {1000 * statistics.median(ts):.1f} | "
        f"{1000 * percentile(ts, 0.99):.1f} |"
        for lang, ts in per_lang.items()
    ]
    p50, p99 = 1000 * statistics.median(every), 1000 * percentile(every, 0.99)
    body = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d} on this machine "
            f"({args.rounds} rounds of the fixed script in six languages; "
            "SQLite demo database; one POST /messages through the app in process).",
            "",
            "| language | turns | p50 ms | p99 ms |",
            "|---|---|---|---|",
            *rows,
            f"| **all** | {len(every)} | **{p50:.1f}** | **{p99:.1f}** |",
            "",
            "Targets: p50 <= 15 ms, p99 <= 40 ms.",
            "",
            f"HTTP against a local uvicorn server ({http['workers']} client threads, "
            f"{args.http_seconds:.0f} s, one process): {http['requests']} requests, "
            f"**{http['rps']:.0f} req/s**, p50 {http['p50_ms']:.1f} ms, "
            f"p99 {http['p99_ms']:.1f} ms.",
        ]
    )
    print(body)
    write_section(Path(args.out), "Turn latency (`deskhand bench turns`)", body)
    return 0
