"""The console's routers, one module per page group, gathered under /admin."""

from __future__ import annotations

from fastapi import APIRouter

from deskhand.console.routes import (
    agent_tests,
    auth,
    content,
    dashboard,
    integrations,
    launch,
    overview,
    policy,
    preview,
    shopify,
    skills,
    team,
)

router = APIRouter()
for module in (
    auth,
    overview,
    dashboard,
    team,
    skills,
    policy,
    content,
    preview,
    agent_tests,
    launch,
    integrations,
    shopify,
):
    router.include_router(module.router)
