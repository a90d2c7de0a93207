"""Agent tests in the console: the brand's suites, run in a sandbox; owner and admin edit them."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.deps import EditorForm, Member, MemberForm, SignedInMember, console_router
from deskhand.suites.runner import CaseResult, run_suites
from deskhand.suites.spec import SuiteError
from deskhand.suites.stored import parsed, save_suite, stored_suites
from deskhand.team.audit import record_change

router = console_router()
MAX_SOURCE = 100_000


def _page(
    me: SignedInMember,
    *,
    status: int = 200,
    results: list[CaseResult] | None = None,
    error: str = "",
    source: str = "",
) -> Response:
    console = me.console
    rows = stored_suites(console.db, console.brand.id)
    good, bad = parsed(rows)
    editing = console.request.query_params.get("edit", "")
    if not source and editing:
        source = next((r.source for r in rows if r.name == editing), "")
    return console.render(
        "agent_tests.html",
        status=status,
        suites=good,
        broken=bad,
        results=results,
        error=error,
        source=source,
    )


@router.get("/tests")
def tests_page(me: Member) -> Response:
    return _page(me)


@router.post("/tests/run")
def run(post: MemberForm) -> Response:
    """Run every suite against the current rules and content; nothing is kept."""
    console = post.console
    suites, _ = parsed(stored_suites(console.db, console.brand.id))
    results = run_suites(
        console.db,
        console.state.agent,
        console.brand,
        suites,
        now=console.now,
        base_url=console.state.settings.base_url.rstrip("/"),
    )
    return _page(post.me, results=results)


@router.post("/tests/save")
def save(post: EditorForm) -> Response:
    console = post.console
    source = post.form.get("source", MAX_SOURCE)
    try:
        row = save_suite(console.db, console.brand.id, source, console.now)
    except SuiteError as exc:
        return _page(post.me, status=400, error=str(exc), source=source)
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="agent tests",
        action=f"suite {row.name!r} saved",
        before={},
        after={"suite": row.name},
        now=console.now,
    )
    return console.redirect("/admin/tests?" + urlencode({"done": "tests"}))
