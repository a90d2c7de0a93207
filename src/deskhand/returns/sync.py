"""Staff decisions on a Loop or AfterShip return, sent to the provider through the outbox.

Moving a mirrored return writes an outbox row (kind `returns_provider`) in the same
transaction; the worker's `ProviderSync` transport makes the call. A 5xx, a 429 or a
timeout is retried with the outbox's backoff; any other 4xx is permanent (the row fails and
says why), since sending the same refused call again cannot help.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db.integrations import find_integration, record_error, secrets_of
from deskhand.db.models import ReturnRequest
from deskhand.db.session import transaction
from deskhand.domain.returns import ReturnState
from deskhand.domain.vocabulary import IntegrationKind, ReturnsProviderKind
from deskhand.jobs.outbox import enqueue
from deskhand.jobs.transport import Outgoing, Sent, TransportError
from deskhand.returns import aftership, loop
from deskhand.returns.vendors import ProviderError

KIND = "returns_provider"
_INTEGRATION = {
    ReturnsProviderKind.LOOP.value: IntegrationKind.LOOP,
    ReturnsProviderKind.AFTERSHIP.value: IntegrationKind.AFTERSHIP,
}
_ACTIONS = {
    ReturnsProviderKind.LOOP.value: loop.ACTIONS,
    ReturnsProviderKind.AFTERSHIP.value: aftership.ACTIONS,
}


def queue_decision(session: Session, ret: ReturnRequest, note: str, now: datetime) -> bool:
    """Queue the provider call for the state `ret` just entered; False when none is needed
    (a built-in return, or a state the provider has no operation for)."""
    actions = _ACTIONS.get(ret.provider)
    if actions is None or not ret.provider_ref or ReturnState(ret.state) not in actions:
        return False
    row = enqueue(
        session,
        brand_id=ret.brand_id,
        kind=KIND,
        recipient=ret.provider,
        subject=f"{ret.rma}: {ret.state}",
        body=note,
        idempotency_key=f"return-sync:{ret.brand_id}:{ret.rma}:{ret.state}"[:100],
        now=now,
    )
    row.payload = {"provider": ret.provider, "ref": ret.provider_ref, "state": ret.state}
    return True


class ProviderSync:
    """The outbox transport of kind `returns_provider`."""

    name = "returns_provider"

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings, self.sessions = settings, sessions

    def deliver(self, item: Outgoing) -> Sent:
        provider = str(item.payload.get("provider") or "")
        ref, state = str(item.payload.get("ref") or ""), ReturnState(item.payload["state"])
        with transaction(self.sessions) as session:
            row = find_integration(session, item.brand_id, _INTEGRATION[provider])
            if row is None:
                raise TransportError(f"{provider} is not connected", permanent=True)
            secrets = secrets_of(self.settings, row)
            base = str(row.config.get("base_url") or "")
            timeout = float(row.config.get("timeout_seconds") or loop.TIMEOUT)
        key = str(secrets.get("api_key") or "")
        try:
            if provider == ReturnsProviderKind.LOOP.value:
                adapter = loop.LoopProvider(key, "", base or loop.BASE_URL, timeout)
                loop.apply_decision(adapter, ref, state, item.body)
            else:
                client = aftership.AfterShipProvider(key, "", base or aftership.BASE_URL, timeout)
                aftership.apply_decision(client, ref, state, item.body)
        except ProviderError as exc:
            retry = exc.status is None or exc.status >= 500 or exc.status == 429
            self._note_error(item.brand_id, provider, str(exc))
            raise TransportError(str(exc), permanent=not retry) from None
        return Sent(provider_ref=ref, provider_status=state.value)

    def _note_error(self, brand_id: int, provider: str, message: str) -> None:
        with transaction(self.sessions) as session:
            row = find_integration(session, brand_id, _INTEGRATION[provider])
            if row is not None:
                record_error(row, message)


def transports(settings: Settings, sessions: sessionmaker[Session]) -> dict[str, ProviderSync]:
    return {KIND: ProviderSync(settings, sessions)}
