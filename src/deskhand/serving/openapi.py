"""The API's schema tells the truth about errors: every one is application/problem+json.

FastAPI documents its validation errors as application/json with its own shape; Deskhand
answers every error, validation included, as RFC 9457 problem+json (`serving/problems.py`).
`publish_problems` rewrites the generated schema once so that clients (and the schemathesis
run in tests/security/test_fuzz_api.py) see the answers the API really gives.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
PROBLEM_RESPONSE = {
    "description": "A problem (RFC 9457): bad input, a missing or wrong token, too many requests",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def publish_problems(app: FastAPI) -> None:
    """Document each operation's errors as the problem+json the app sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                responses["default"] = PROBLEM_RESPONSE
        unused = ("HTTPValidationError", "ValidationError")
        for name in unused:
            schema["components"]["schemas"].pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
