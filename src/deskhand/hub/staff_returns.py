"""The brand staff's returns API (the console comes with the admin work): list returns,
read one, move it to its next state. Every change is on the return's timeline and emailed to
the shopper in their language. Authenticated with the brand's staff token
(`returns/staff.py`); errors are problem+json."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import ReturnRequest
from deskhand.db.session import transaction
from deskhand.domain.returns import ReturnState
from deskhand.hub.return_emails import email_return_state
from deskhand.returns.moving import MoveRefused, move_return
from deskhand.returns.records import by_rma
from deskhand.returns.staff import staff_token_ok
from deskhand.serving.deps import CurrentBrand, State
from deskhand.serving.problems import Problem

router = APIRouter(prefix="/api/v1/returns", tags=["returns (staff)"])
BEARER = "Bearer "


def staff(state: State, brand: CurrentBrand, authorization: Annotated[str, Header()] = "") -> None:
    """Only the brand's staff token passes; anything else is 401, saying nothing more."""
    sent = authorization[len(BEARER) :] if authorization.startswith(BEARER) else ""
    if not sent or not staff_token_ok(state.agent.secret, brand.slug, sent):
        raise Problem(
            401,
            "Unauthorized",
            "Send the brand's staff token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


Staff = Depends(staff)


class Move(BaseModel):
    state: Literal["requested", "approved", "in_transit", "received", "refunded", "rejected"] = (
        Field(description="The state to move the return to.")
    )
    note: str = Field(default="", max_length=1000, description="Required for 'rejected'.")


def _view(ret: ReturnRequest) -> dict[str, Any]:
    return {
        "rma": ret.rma,
        "order": ret.order_number,
        "state": ret.state,
        "resolution": ret.resolution,
        "reason": ret.reason,
        "comment": ret.comment,
        "rejection_reason": ret.rejection_reason or None,
        "currency": ret.currency,
        "refund_amount": ret.refund_amount,
        "store_credit": ret.store_credit,
        "exchange_difference": ret.exchange_difference,
        "lines": [
            {
                "title": line.title,
                "variant": line.variant,
                "quantity": line.quantity,
                "exchange_variant": line.exchange_variant,
            }
            for line in ret.lines
        ],
        "timeline": [
            {"state": e.state, "actor": e.actor, "note": e.note, "at": e.created_at.isoformat()}
            for e in ret.events
        ],
    }


@router.get("", dependencies=[Staff])
def list_returns(
    state: State,
    brand: CurrentBrand,
    status: Annotated[ReturnState | None, Query(alias="state")] = None,
) -> dict[str, Any]:
    with transaction(state.sessions) as session:
        query = select(ReturnRequest).where(ReturnRequest.brand_id == brand.id)
        if status is not None:
            query = query.where(ReturnRequest.state == status.value)
        rows = session.scalars(query.order_by(ReturnRequest.id.desc()).limit(200))
        return {"returns": [_view(r) for r in rows]}


@router.get("/{rma}", dependencies=[Staff])
def get_return(rma: str, state: State, brand: CurrentBrand) -> dict[str, Any]:
    with transaction(state.sessions) as session:
        return _view(_found(session, brand.id, rma))


@router.post("/{rma}/state", dependencies=[Staff])
def move(rma: str, body: Move, state: State, brand: CurrentBrand) -> dict[str, Any]:
    """Move the return; the same move again changes nothing and sends nothing."""
    with transaction(state.sessions) as session:
        ret = _found(session, brand.id, rma)
        try:
            move_return(
                session,
                ret,
                ReturnState(body.state),
                actor="staff",
                note=body.note,
                now=datetime.now(UTC),
                notify=email_return_state,
            )
        except MoveRefused as refused:
            raise Problem(409, "Not allowed", refused.detail, code=refused.code) from None
        return _view(ret)


def _found(session: Session, brand_id: int, rma: str) -> ReturnRequest:
    ret = by_rma(session, brand_id, rma) if len(rma) <= 32 else None
    if ret is None:
        raise Problem(404, "Return not found", f"No return {rma!r} for this brand.")
    return ret
