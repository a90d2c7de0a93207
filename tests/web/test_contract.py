"""The block union /openapi.json publishes is the one docs/api-contract.md promises, and that
document's contract is the one in ../shared/ARCHITECTURE.md (when that file is at hand)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from deskhand.config import Settings
from deskhand.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "api-contract.md"
SHARED = ROOT.parent / "shared" / "ARCHITECTURE.md"
ANY = "..."  # the contract leaves a shape to another place ("buttons": [...])

# A shape: a dict of field -> shape, a list of alternative shapes (an array's items), None
# for a scalar, or ANY.
Shape = Any


def block_section(markdown: str) -> str:
    """The `Block = ...` alternatives of the contract's code block."""
    found = re.search(r"^Block = (.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    assert found, "no 'Block = ' in the contract"
    return found.group(1)


class _Parser:
    """Reads the contract's notation: {"key", "key": value} objects, [a | b] arrays; words
    outside quotes and brackets are comments."""

    def __init__(self, text: str) -> None:
        self.tokens = re.findall(r'"[^"]*"|\.\.\.|[{}\[\]:,|]', text)
        self.at = 0

    def next(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def alternatives(self, close: str | None) -> list[Shape]:
        found = [self.value()]
        while self.peek() == "|":
            self.next()
            found.append(self.value())
        if close is not None:
            assert self.next() == close
        return found

    def value(self) -> Shape:
        token = self.next()
        if token == "{":
            return self.object()
        if token == "[":
            items = self.alternatives("]")
            return ANY if items == [ANY] else items
        if token == ANY:
            return ANY
        return None  # a literal, e.g. "type": "text"

    def object(self) -> dict[str, Shape]:
        fields: dict[str, Shape] = {}
        while (token := self.next()) != "}":
            if token == ",":
                continue
            key = token.strip('"')
            fields[key] = None
            if self.peek() == ":":
                self.next()
                fields[key] = self.value()
        return fields


def contract_blocks(markdown: str) -> dict[str, dict[str, Shape]]:
    """Block type -> its fields, as the contract writes them."""
    parser = _Parser(block_section(markdown))
    blocks = parser.alternatives(None)
    assert parser.peek() is None
    types = re.findall(r'\{"type": "(\w+)"', block_section(markdown))
    return dict(zip(types, blocks, strict=True))


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def published_shape(spec: dict[str, Any], schema: dict[str, Any]) -> Shape:
    schema = _resolve(spec, schema)
    if schema.get("type") == "object" or "properties" in schema:
        return {name: published_shape(spec, sub) for name, sub in schema["properties"].items()}
    if schema.get("type") == "array":
        items = _resolve(spec, schema["items"])
        options = items.get("anyOf") or items.get("oneOf") or [items]
        return [published_shape(spec, option) for option in options]
    return None  # a scalar, nullable or not


def published_blocks(spec: dict[str, Any]) -> dict[str, dict[str, Shape]]:
    message = spec["components"]["schemas"]["AgentMessage"]
    union = message["properties"]["blocks"]["items"]
    assert union["discriminator"]["propertyName"] == "type"
    found = {}
    for kind, ref in union["discriminator"]["mapping"].items():
        found[kind] = published_shape(spec, {"$ref": ref})
    return found


def same_shape(contract: Shape, published: Shape) -> bool:
    if contract is ANY:
        return True
    if isinstance(contract, dict):
        return (
            isinstance(published, dict)
            and contract.keys() == published.keys()
            and all(same_shape(contract[k], published[k]) for k in contract)
        )
    if isinstance(contract, list):
        return (
            isinstance(published, list)
            and len(contract) == len(published)
            and all(same_shape(c, p) for c, p in zip(contract, published, strict=True))
        )
    return published is None


@pytest.fixture
def openapi(settings: Settings) -> dict[str, Any]:
    return create_app(settings).openapi()


def test_the_contract_notation_is_read_as_written() -> None:
    blocks = contract_blocks(CONTRACT.read_text(encoding="utf-8"))
    assert blocks["sign_in"] == {"type": None, "text": None, "url": None}
    assert blocks["handoff_prompt"]["buttons"] == ANY
    assert blocks["order_card"]["actions"] == [
        {"label": None, "url": None},
        {"label": None, "action": None},
    ]


def test_openapi_publishes_exactly_the_contracts_blocks(openapi: dict[str, Any]) -> None:
    contract = contract_blocks(CONTRACT.read_text(encoding="utf-8"))
    published = published_blocks(openapi)
    assert sorted(published) == sorted(contract)
    for kind, shape in contract.items():
        assert same_shape(shape, published[kind]), (kind, shape, published[kind])


def test_the_transcript_publishes_the_same_blocks(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    agent = schemas["AgentMessage"]["properties"]["blocks"]["items"]
    transcript = schemas["TranscriptMessage"]["properties"]["blocks"]["items"]
    assert transcript == agent


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/ARCHITECTURE.md is not here (CI)")
def test_the_contract_is_the_architecture_documents() -> None:
    ours = block_section(CONTRACT.read_text(encoding="utf-8"))
    spec = block_section(SHARED.read_text(encoding="utf-8"))
    assert ours == spec
