"""The YAML of an agent test suite, read and checked (a bad file says where and why).

name: Order changes
tests:
  - name: an open order can change its size
    customer: ava@example.com     # optional: a verified shopper (no code needed)
    language: en                  # optional: the conversation's language
    conversation:
      - shopper: Can I change the size of my last order?
        expect:
          skill: order_editing
          outcome: hub_link
          contains: [Customer Hub]          # words the reply must have (any case)
          not_contains: [fee]               # words it must not have
          links: [/hub/orders/1001/edit]    # a link in the reply contains each
          no_links: [/cancel]               # no link in the reply contains any
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_TURNS = 20
MAX_TESTS = 200


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill: str | None = None
    outcome: str | None = None
    intent: str | None = None
    contains: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    no_links: list[str] = Field(default_factory=list)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shopper: str = Field(min_length=1, max_length=4000)
    expect: Expect = Field(default_factory=Expect)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    customer: str | None = None
    language: str | None = Field(default=None, max_length=8)
    conversation: list[Turn] = Field(min_length=1, max_length=MAX_TURNS)


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    tests: list[Case] = Field(min_length=1, max_length=MAX_TESTS)


class SuiteError(ValueError):
    """A suite file that cannot be read; the message names the file and the place."""


def parse_suite(text: str, where: str) -> Suite:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{where}: not valid YAML: {exc}") from exc
    try:
        return Suite.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'the file'}: {e['msg']}" for e in exc.errors()
        )
        raise SuiteError(f"{where}: {problems}") from exc


def suite_files(path: Path) -> list[Path]:
    """The suite files at this path: the file, or every .yaml/.yml below the folder."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
    raise SuiteError(f"{path}: no such file or folder")


def load_suites(path: Path) -> list[tuple[str, Suite]]:
    return [(str(f), parse_suite(f.read_text(encoding="utf-8"), str(f))) for f in suite_files(path)]
