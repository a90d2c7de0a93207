"""The console's routers, one module per page group, gathered under /admin."""

from __future__ import annotations

from fastapi import APIRouter

from deskhand.console.routes import auth, overview, policy, skills, team

router = APIRouter()
for module in (auth, overview, team, skills, policy):
    router.include_router(module.router)
