"""The outbox worker as the product runs it: every channel's transport, and the inbound
messages whose first answer failed retried each round (`deskhand worker`, demo, serve)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from deskhand.agent.engine import Agent
from deskhand.channels.inbound import retry_inbound
from deskhand.channels.transports import transports_for
from deskhand.commerce.shopify.scheduling import run_requested
from deskhand.commerce.shopify.sync import reconcile_due
from deskhand.config import Settings
from deskhand.helpdesk import comment_delivery
from deskhand.helpdesk import delivery as helpdesk_delivery
from deskhand.jobs import worker
from deskhand.jobs.transport import Transport
from deskhand.jobs.worker import Chore
from deskhand.privacy.retention import retention_chore
from deskhand.returns import sync as returns_sync
from deskhand.tasks.table import table_chores


def chores(sessions: sessionmaker[Session], agent: Agent, settings: Settings) -> list[Chore]:
    """What the worker does besides the outbox: answer kept inbound messages again, and
    purge transcripts past their retention, and reconcile Shopify brands with what changed there."""

    def retry(now: datetime) -> int:
        return retry_inbound(sessions, agent, settings, now)

    def reconcile_shops(now: datetime) -> int:
        every = timedelta(minutes=settings.shopify_reconcile_minutes)
        return reconcile_due(sessions, settings, now, every)

    def requested_syncs(_now: datetime) -> int:  # "sync now" in the console, without Redis
        return run_requested(sessions, settings)

    # Without Redis, queued background tasks (help-centre crawls) run from here too.
    tasks: list[Chore] = [*table_chores(sessions, settings)]
    return [retry, retention_chore(sessions, settings), reconcile_shops, requested_syncs, *tasks]


def transports(settings: Settings, sessions: sessionmaker[Session]) -> dict[str, Transport]:
    """Every outbox kind's transport: the channels', the returns providers', the helpdesks'
    (tickets, and the shopper's follow-ups on them)."""
    return {
        **transports_for(settings),
        **returns_sync.transports(settings, sessions),
        **helpdesk_delivery.transports(settings, sessions),
        **comment_delivery.transports(settings, sessions),
    }


def _agent(settings: Settings, agent: Agent | None) -> Agent:
    return agent if agent is not None else Agent(settings, settings.resolved_secret_key())


def run_worker(
    settings: Settings,
    sessions: sessionmaker[Session],
    stop: threading.Event,
    agent: Agent | None = None,
) -> None:
    """Deliver the outbox and retry inbound messages until `stop` is set."""
    worker.run_worker(
        settings,
        sessions,
        stop,
        transports(settings, sessions),
        chores(sessions, _agent(settings, agent), settings),
    )


def start_worker_thread(
    settings: Settings, sessions: sessionmaker[Session], agent: Agent | None = None
) -> tuple[threading.Thread, threading.Event]:
    """The worker in a daemon thread (inside `deskhand demo` / `serve`)."""
    return worker.start_worker_thread(
        settings,
        sessions,
        transports(settings, sessions),
        chores(sessions, _agent(settings, agent), settings),
    )
