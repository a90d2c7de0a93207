"""The console's routers, one module per page group, gathered under /admin."""

from __future__ import annotations

from fastapi import APIRouter

from deskhand.console.routes import (
    agent_tests,
    auth,
    content,
    crawl,
    dashboard,
    handoff,
    inbox,
    integrations,
    launch,
    look,
    overview,
    policy,
    preview,
    privacy,
    shopify,
    skills,
    team,
)

router = APIRouter()
for module in (
    auth,
    overview,
    dashboard,
    inbox,
    team,
    skills,
    policy,
    content,
    crawl,
    preview,
    agent_tests,
    launch,
    integrations,
    look,
    privacy,
    handoff,
    shopify,
):
    router.include_router(module.router)
