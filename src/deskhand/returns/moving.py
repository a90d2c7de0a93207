"""Moving a return through its states (staff, or a provider's webhook), with its timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.db.models import ReturnEvent, ReturnRequest
from deskhand.domain.returns import ReturnState, can_move
from deskhand.returns.starting import Notify
from deskhand.returns.sync import queue_decision

MAX_NOTE = 1000


class MoveRefused(Exception):
    """The state change is not allowed; `code` says why (for a problem+json answer)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def move_return(
    session: Session,
    ret: ReturnRequest,
    to: ReturnState,
    *,
    actor: str,
    note: str,
    now: datetime,
    notify: Notify,
) -> bool:
    """Move `ret` to `to`; False when it is already there (a repeated request changes nothing).

    A rejection needs its reason, which the shopper is told.
    """
    current = ReturnState(ret.state)
    if current is to:
        return False
    if not can_move(current, to):
        raise MoveRefused("transition", f"a return cannot go from {current} to {to}")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise MoveRefused("note", f"the note is longer than {MAX_NOTE} characters")
    if to is ReturnState.REJECTED:
        if not note:
            raise MoveRefused("reason", "a rejection needs a reason for the shopper")
        ret.rejection_reason = note
    ret.state = to.value
    ret.updated_at = now
    ret.events.append(
        ReturnEvent(brand_id=ret.brand_id, state=to.value, actor=actor, note=note, created_at=now)
    )
    session.flush()
    if actor != "provider":  # the provider's own changes come from it: nothing to send back
        queue_decision(session, ret, note, now)
    notify(session, ret, now)
    return True
