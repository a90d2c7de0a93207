"""`deskhand users add | list`: a real install's first owner, from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DESKHAND = [sys.executable, "-m", "deskhand.cli"]


def run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKHAND_")}
    return subprocess.run(
        [*DESKHAND, "users", *args, "--demo", "--data-dir", str(data_dir)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def test_users_add_creates_a_member_who_is_listed(tmp_path: Path) -> None:
    added = run(
        ["add", "Lea@Example.com", "--role", "admin", "--name", "Lea", "--password-stdin"],
        tmp_path,
        stdin="a long enough password\n",
    )
    assert added.returncode == 0, added.stderr
    assert "lea@example.com is admin of Fjord & Finch" in added.stdout
    listed = run(["list"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "lea@example.com\tadmin\tactive" in listed.stdout
    assert "owner@fjordfinch.example\towner\tactive" in listed.stdout  # the demo's owner


def test_users_add_refuses_a_short_password_and_a_second_account(tmp_path: Path) -> None:
    short = run(["add", "kim@example.com", "--password-stdin"], tmp_path, stdin="short\n")
    assert short.returncode == 1
    assert "at least 12 characters" in short.stderr
    again = run(
        ["add", "owner@fjordfinch.example", "--password-stdin"], tmp_path, stdin="x" * 20 + "\n"
    )
    assert again.returncode == 1
    assert "already on the team" in again.stderr
