"""A small help centre on 127.0.0.1 whose pages can be held back until a test lets them go:
to see a crawl part-way (its progress, and that it holds no database transaction while it
waits for a page)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGES = {
    "/help/": ("Help centre", "Welcome", "Find answers about gift wrapping and pickup here."),
    "/help/gift-wrap": ("Gift wrapping", "Can you wrap my order?", "Gift wrap costs EUR 3.50."),
    "/help/pickup": ("Store pickup", "Can I collect my order?", "Collect at our Utrecht studio."),
    "/help/socks": ("Sock sizes", "Which size fits?", "Our socks come in three sizes."),
}


def _page(title: str, heading: str, text: str, links: str) -> bytes:
    return (
        f"<html lang='en'><head><title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<h2>{heading}</h2><p>{text}</p>{links}</main></body></html>"
    ).encode()


class HelpCentre:
    def __init__(self) -> None:
        self.base = ""
        self.hits: list[str] = []
        self.gates: dict[str, threading.Event] = {}  # path -> set when it may be answered
        self.waiting = threading.Event()  # a request is held at a gate

    def hold(self, path: str) -> threading.Event:
        self.gates[path] = threading.Event()
        return self.gates[path]

    def body(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path not in PAGES:
            return None
        links = " ".join(f"<a href='{p}'>{PAGES[p][0]}</a>" for p in PAGES if p != path)
        return _page(*PAGES[path], links)


@contextmanager
def help_centre() -> Iterator[HelpCentre]:
    site = HelpCentre()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.hits.append(self.path)
            gate = site.gates.get(self.path)
            if gate is not None:
                site.waiting.set()
                gate.wait(30)
            body = site.body(self.path)
            kind = "text/plain" if self.path.endswith(".txt") else "text/html"
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            payload = body if body is not None else b"not found"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        for gate in site.gates.values():
            gate.set()
        server.shutdown()
        server.server_close()
