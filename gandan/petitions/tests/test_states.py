"""The life cycle table, checked over every (state, action) pair against an expected table written out
by hand, and the rules that must hold whatever the table says."""

from __future__ import annotations

import itertools

import pytest

from gandan.petitions import states
from gandan.petitions.models import Status

R, A, H, E, T, ANS, C, RO, OUT, M = ("received", "accepted", "handling", "escalated", "transferred", "answered",
                                      "closed", "reopened", "routed_out", "merged")
# Every allowed move, by hand: (state, action) → next state.
EXPECTED = {
    (R, "accept"): A, (E, "accept"): A, (T, "accept"): A, (RO, "accept"): A,
    (A, "handle"): H,
    (A, "escalate"): E, (H, "escalate"): E,
    (A, "transfer"): T, (H, "transfer"): T,
    (A, "answer"): ANS, (H, "answer"): ANS,
    (ANS, "rate_satisfied"): C, (ANS, "rate_unsatisfied"): RO,
    (R, "route_out"): OUT, (A, "route_out"): OUT,
    **{(s, "merge"): M for s in (R, A, H, E, T, RO)},
    **{(s, "auto_escalate"): E for s in (R, A, H, E, T, RO)},
    (C, "reopen"): RO,
}
ALL_PAIRS = list(itertools.product(states.STATES, states.ACTIONS))


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_every_pair_is_allowed_or_refused_as_the_table_says(state, action):
    if (state, action) in EXPECTED:
        assert states.allowed(state, action)
        assert states.next_state(state, action) == EXPECTED[(state, action)]
    else:
        assert not states.allowed(state, action)
        with pytest.raises(states.TransitionRefused):
            states.next_state(state, action)


def test_the_table_has_nothing_the_hand_written_table_lacks():
    assert states.TRANSITIONS == EXPECTED


def test_only_a_satisfied_rating_closes_a_concern():
    closing = [(s, a) for (s, a), target in states.TRANSITIONS.items() if target == states.CLOSED]
    assert closing == [(states.ANSWERED, states.RATE_SATISFIED)]


def test_there_is_no_action_that_closes_a_concern_as_not_ours():
    assert not any("close" in action or "reject" in action or "dismiss" in action for action in states.ACTIONS)


def test_final_states_have_no_way_out_but_the_citizens_reopening_of_a_closed_concern():
    for state in states.FINAL - {states.CLOSED}:
        assert states.actions_from(state) == []
    assert states.actions_from(states.CLOSED) == [states.REOPEN]
    assert states.next_state(states.CLOSED, states.REOPEN) == states.REOPENED


def test_every_open_state_can_still_be_escalated_by_the_overdue_job_and_merged():
    for state in states.OPEN:
        assert states.allowed(state, states.AUTO_ESCALATE)
        assert states.allowed(state, states.MERGE)


def test_a_concern_waiting_for_its_holder_can_only_be_taken_up_not_pushed_away():
    for state in (states.ESCALATED, states.TRANSFERRED, states.REOPENED):
        assert states.actions_from(state) == [states.ACCEPT, states.MERGE, states.AUTO_ESCALATE]


def test_every_state_is_reachable_from_received():
    seen, frontier = {states.RECEIVED}, [states.RECEIVED]
    while frontier:
        state = frontier.pop()
        for action in states.actions_from(state):
            target = states.next_state(state, action)
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(states.STATES)


def test_open311_says_closed_only_when_nothing_more_will_happen():
    assert {s for s in states.STATES if states.public_status(s) == "closed"} == {C, OUT, M}


def test_model_statuses_are_the_states_of_the_table():
    assert set(Status.values) == set(states.STATES)
