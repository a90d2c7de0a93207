"""A Deskhand server in its own process for the benchmarks: started, waited for, stopped.

The server must not share the benchmark client's interpreter (its GIL and its cores would be
the client's too), so it runs as `python -m deskhand.cli serve` on 127.0.0.1 with the demo's
data and the rate limits lifted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

LIFTED_LIMITS = {
    "DESKHAND_CODES_PER_ADDRESS_PER_HOUR": "100000",
    "DESKHAND_CODES_PER_CLIENT_PER_HOUR": "100000",
    "DESKHAND_MESSAGES_PER_MINUTE": "1000000",
    "DESKHAND_CONVERSATIONS_PER_MINUTE": "1000000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Running:
    base: str
    pid: int


@contextmanager
def server_process(
    data_dir: Path,
    *,
    workers: int = 1,
    extra_env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[Running]:
    """`deskhand demo` on a free port; yields once it answers /healthz."""
    port = free_port()
    env = {
        **os.environ,
        **LIFTED_LIMITS,
        "DESKHAND_DATA_DIR": str(data_dir),
        "DESKHAND_BASE_URL": f"http://127.0.0.1:{port}",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "deskhand.cli", "demo", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--workers", str(workers)]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode} (see {log})")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz within 120 s")
            time.sleep(0.2)
        yield Running(base=base, pid=proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]  # a file when log is set
