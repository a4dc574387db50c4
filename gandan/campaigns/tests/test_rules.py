"""The pure rules: schedules, periods, the models' life cycle, shortfalls."""

from __future__ import annotations

import datetime as dt

from gandan.campaigns import rules


def test_schedules():
    saturday, thursday = dt.date(2026, 3, 7), dt.date(2026, 3, 5)
    assert rules.on_schedule("weekends", [], saturday) and not rules.on_schedule("weekends", [], thursday)
    assert rules.on_schedule("thursdays", [], thursday) and not rules.on_schedule("thursdays", [], saturday)
    assert rules.on_schedule("dates", ["2026-03-05"], thursday) and not rules.on_schedule("dates", [], thursday)


def test_periods_cross_the_year():
    assert list(rules.periods(dt.date(2025, 11, 20), dt.date(2026, 2, 1), "month")) == [
        dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert list(rules.periods(dt.date(2025, 11, 20), dt.date(2026, 4, 1), "quarter")) == [
        dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)]


def test_the_life_cycle_of_a_model():
    assert rules.may_move("registered", "recognised") and not rules.may_move("registered", "praised")
    assert rules.may_move("recognised", "praised") and rules.may_move("praised", "commended")
    assert not rules.may_move("commended", "praised") and not rules.may_move("recognised", "registered")


def test_shortfalls_list_who_joined_too_few_in_each_period():
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    found = rules.shortfalls([1, 2], {(1, march): 2, (2, march): 1, (1, april): 0}, [march, april], 2)
    assert [(s.cadre_id, s.period, s.joined) for s in found] == [(2, march, 1), (1, april, 0), (2, april, 0)]
    assert rules.shortfalls([1], {}, [march], 0) == []
