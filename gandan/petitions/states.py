"""The life cycle of a concern, as one table: which action may be taken in which state, and where it
leads. Pure (no ORM), so that every (state, action) pair can be tested.

    received ─accept→ accepted ─handle→ handling ─answer→ answered ─rate_satisfied→ closed
        │                 │ └──────────────┴─escalate / transfer→ escalated / transferred ─accept→ accepted
        └─route_out (complaints, denunciations follow their own laws) → routed_out
    answered ─rate_unsatisfied→ reopened (held by the next level up) ─accept→ accepted
    closed ─reopen→ reopened (the citizen, within the province's window: the problem came back;
                    held again by the holder who answered)
    any open state ─merge→ merged (a duplicate folded into another concern)
    any open state ─auto_escalate→ escalated (the hourly overdue job)

There is no action that closes a concern as "not ours": a holder who is not competent transfers
it to whoever is. Only the citizen's (or, on their behalf, a cadre's) satisfied rating closes it, and
the citizen may reopen a closed concern for a while (config.reopen_days), whatever they rated: the
one way out of a final state.
"""

from __future__ import annotations

RECEIVED = "received"
ACCEPTED = "accepted"
HANDLING = "handling"
ESCALATED = "escalated"
TRANSFERRED = "transferred"
ANSWERED = "answered"
CLOSED = "closed"
REOPENED = "reopened"
ROUTED_OUT = "routed_out"
MERGED = "merged"

STATES = (RECEIVED, ACCEPTED, HANDLING, ESCALATED, TRANSFERRED, ANSWERED, CLOSED, REOPENED, ROUTED_OUT, MERGED)

ACCEPT = "accept"
HANDLE = "handle"
ESCALATE = "escalate"
TRANSFER = "transfer"
ANSWER = "answer"
RATE_SATISFIED = "rate_satisfied"
RATE_UNSATISFIED = "rate_unsatisfied"
ROUTE_OUT = "route_out"
MERGE = "merge"
AUTO_ESCALATE = "auto_escalate"
REOPEN = "reopen"

ACTIONS = (ACCEPT, HANDLE, ESCALATE, TRANSFER, ANSWER, RATE_SATISFIED, RATE_UNSATISFIED, ROUTE_OUT, MERGE,
           AUTO_ESCALATE, REOPEN)
# Taken by the citizen on the public page (with the PIN), never offered as a handler's button.
CITIZEN_ACTIONS = frozenset({REOPEN})

# Waiting for the current holder to take it up (the "receive within N working hours" clock runs).
AWAITING_ACCEPT = frozenset({RECEIVED, ESCALATED, TRANSFERRED, REOPENED})
# Someone is working on it (the resolution clock runs).
IN_HAND = frozenset({ACCEPTED, HANDLING})
OPEN = AWAITING_ACCEPT | IN_HAND
# Terminal: nothing more can happen, except the citizen's reopening of a closed concern.
FINAL = frozenset({CLOSED, ROUTED_OUT, MERGED})

# (state, action) → next state. Everything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    **{(state, ACCEPT): ACCEPTED for state in AWAITING_ACCEPT},
    (ACCEPTED, HANDLE): HANDLING,
    **{(state, ESCALATE): ESCALATED for state in IN_HAND},
    **{(state, TRANSFER): TRANSFERRED for state in IN_HAND},
    **{(state, ANSWER): ANSWERED for state in IN_HAND},
    (ANSWERED, RATE_SATISFIED): CLOSED,
    (ANSWERED, RATE_UNSATISFIED): REOPENED,
    (RECEIVED, ROUTE_OUT): ROUTED_OUT,
    (ACCEPTED, ROUTE_OUT): ROUTED_OUT,
    **{(state, MERGE): MERGED for state in OPEN},
    **{(state, AUTO_ESCALATE): ESCALATED for state in OPEN},
    (CLOSED, REOPEN): REOPENED,
}


class TransitionRefused(ValueError):
    """The action is not allowed in the concern's current state."""

    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"{action} is not allowed when the concern is {state}")
        self.state = state
        self.action = action


def allowed(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def next_state(state: str, action: str) -> str:
    """The state after `action`, or TransitionRefused."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TransitionRefused(state, action) from None


def actions_from(state: str) -> list[str]:
    """The actions allowed in `state`, in the order of ACTIONS (for buttons and the API)."""
    return [action for action in ACTIONS if (state, action) in TRANSITIONS]


def handler_actions(state: str) -> list[str]:
    """The actions a handler may be offered in `state`: all but the citizen's own."""
    return [action for action in actions_from(state) if action not in CITIZEN_ACTIONS]


def is_open(state: str) -> bool:
    return state in OPEN


def public_status(state: str) -> str:
    """Open311's two words: closed once nothing more will happen, open otherwise (answered included:
    it waits for the citizen's rating, which may reopen it)."""
    return "closed" if state in FINAL else "open"
