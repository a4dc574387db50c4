"""The pure rules: each example computed by hand from Decree 335 and 366-QĐ/TW; then properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.evaluation import rules
from gandan.evaluation.rubric import (
    DECREE_335,
    LEAVE_MONTHS,
    REGULATION_366,
    TRANSFER_MONTHS,
    VETOES,
    LeaveRule,
    RubricError,
    RubricRules,
    TransferRule,
)
from gandan.evaluation.rules import DONE, EXCELLENT, FAILED, GOOD, Direction, Entry, Month, TaskFigures

D = Decimal
R335 = RubricRules.from_data(DECREE_335)
R366 = RubricRules.from_data(REGULATION_366)
FULL = {"politics": D(10), "capacity": D(10), "grassroots": D(5), "innovation": D(5)}


def figures(assigned="10", completed="10", at_quality="10", on_time="10", qd="0", pd="0") -> TaskFigures:
    return TaskFigures(D(assigned), D(completed), D(at_quality), D(on_time), D(qd), D(pd))


# -- scoring ---------------------------------------------------------------------------------------------
def test_full_marks_are_100_and_the_default_combination_is_the_mean_of_the_three_ratios_times_70():
    assert rules.score(FULL, figures(), R335).total == D(100)
    # 10 assigned, 8 done, 6 at quality, 7 on time: (0.8 + 0.6 + 0.7) / 3 × 70 = 49.00
    s = rules.score({"politics": D(9), "capacity": D(8), "grassroots": D(4), "innovation": D(3)},
                    figures(completed="8", at_quality="6", on_time="7"), R335)
    assert (s.general, s.tasks, s.total) == (D(24), D("49.00"), D("73.00"))


def test_deductions_lower_the_numerators_never_below_zero():
    # quality 10 − 2.5 = 7.5, progress 10 − 0.5 = 9.5: (1 + 0.75 + 0.95) / 3 × 70 = 63.00
    s = rules.score(FULL, figures(qd="2.5", pd="0.5"), R335)
    assert s.tasks == D("63.00")
    assert rules.ratios(figures(at_quality="1", qd="5")).quality == 0


def test_a_criterion_is_clamped_to_its_maximum_and_a_missing_one_counts_zero():
    assert rules.general_points({"politics": D(14), "capacity": D(-3)}, R335) == D(10)


def test_with_nothing_assigned_the_task_points_follow_the_general_share():
    # 24 / 30 × 70 = 56
    s = rules.score({"politics": D(9), "capacity": D(8), "grassroots": D(4), "innovation": D(3)},
                    TaskFigures(), R335)
    assert (s.tasks, s.total, s.ratios) == (D("56.00"), D("80.00"), None)


def test_weighted_and_min_combinations_are_the_rubrics_choice():
    weighted = RubricRules.from_data({**DECREE_335, "combination": "weighted",
                                      "weights": {"quantity": 2, "quality": 1, "progress": 1}})
    f = figures(completed="8", at_quality="6", on_time="7")
    # (2×0.8 + 0.6 + 0.7) / 4 × 70 = 50.75
    assert rules.score(FULL, f, weighted).tasks == D("50.75")
    assert rules.score(FULL, f, RubricRules.from_data({**DECREE_335, "combination": "min"})).tasks == D("42.00")


def test_a_leaders_direction_criteria_take_half_of_the_task_points():
    unit_perfect = Direction(managed_grades=(GOOD, DONE), unit=figures(), initiatives=True)
    assert rules.score(FULL, figures(), R335, unit_perfect).total == D(100)
    # one managed cadre failed → unit results 50%; organising: (progress 0.8 + quality 0.9) / 2 = 0.85
    # direction (0.5 + 0.85) / 2 = 0.675; tasks 70 × (0.5 × 1 + 0.5 × 0.675) = 58.625 → 58.63
    one_failed = Direction(managed_grades=(GOOD, FAILED), unit=figures(at_quality="9", on_time="8"))
    s = rules.score(FULL, figures(), R335, one_failed)
    assert (s.tasks, s.direction) == (D("58.63"), D("67.50"))


# -- grades -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("total", "grade"), [
    ("100", EXCELLENT), ("90", EXCELLENT), ("89.99", GOOD), ("70", GOOD), ("69.99", DONE), ("50", DONE),
    ("49.99", FAILED), ("0", FAILED)])
def test_grade_edges(total, grade):
    assert rules.grade_for(D(total), R335) == grade


def test_a_veto_fails_whatever_the_score_and_an_unknown_veto_is_ignored():
    assert rules.graded(D(100), R335, ["discipline"]) == FAILED
    assert rules.graded(D(100), R366, ["unit_corruption"]) == EXCELLENT  # not a veto for party members


def test_party_members_need_every_task_on_time_and_at_quality_and_30_percent_exceeding():
    perfect = rules.PartyRecord(True, True, D(30))
    assert rules.graded(D(95), R366, party=perfect) == EXCELLENT
    assert rules.graded(D(95), R366, party=rules.PartyRecord(True, True, D("29.99"))) == GOOD
    assert rules.graded(D(95), R366, party=rules.PartyRecord(False, True, D(50))) == DONE
    assert rules.graded(D(75), R366, party=rules.PartyRecord(True, False)) == DONE
    assert rules.graded(D(95), R335, party=rules.PartyRecord(False, False)) == EXCELLENT  # civil servants: no
    # 3 of 10 products exceeded: 30%
    assert rules.party_record(figures(), D(3)) == rules.PartyRecord(True, True, D("30.00"))


# -- the cap --------------------------------------------------------------------------------------------
def test_the_cap_is_20_percent_of_those_graded_good_or_better_and_names_who_is_above_the_line():
    # 10 good-or-better → 2 excellent allowed; 3 excellent: the lowest (c, 91) is above the line
    entries = [Entry("a", EXCELLENT, D(95)), Entry("b", EXCELLENT, D(93)), Entry("c", EXCELLENT, D(91))]
    entries += [Entry(f"g{i}", GOOD, D(80)) for i in range(7)] + [Entry("d", DONE, D(60))]
    agency = rules.cap_check(entries, R335)[0]
    assert (agency.base, agency.allowed, agency.excellent, agency.above_line) == (10, 2, 3, ["c"])
    assert rules.cap_exceeded([*entries[:2], Entry("c", GOOD, D(91)), *entries[3:]], R335) == []


def test_the_cap_holds_within_each_group_of_similar_tasks_too():
    # agency: 10 good-or-better, 2 excellent → fine; group "A": 5 good-or-better → 1 allowed, 2 excellent
    entries = [Entry("a", EXCELLENT, D(95), "A"), Entry("b", EXCELLENT, D(92), "A")]
    entries += [Entry(f"a{i}", GOOD, D(80), "A") for i in range(3)]
    entries += [Entry(f"b{i}", GOOD, D(80), "B") for i in range(5)]
    results = rules.cap_check(entries, R335)
    assert [r.scope for r in results] == ["", "A", "B"] and not results[0].exceeded
    assert rules.cap_exceeded(entries, R335) == ["b"]


def test_a_small_agency_may_have_no_excellent_at_all():
    entries = [Entry("a", EXCELLENT, D(95)), Entry("b", GOOD, D(80)), Entry("c", GOOD, D(80))]
    assert rules.cap_exceeded(entries, R335) == ["a"]
    assert [e.grade for e in rules.within_cap(entries, R335)] == [GOOD, GOOD, GOOD]


# -- the year --------------------------------------------------------------------------------------------
def test_the_year_is_the_mean_of_the_months_worked():
    months = [Month(m, D(80), GOOD) for m in range(1, 11)] + [Month(11, D(0), FAILED, worked=False),
                                                              Month(12, D(92), EXCELLENT)]
    # (10 × 80 + 92) / 11 = 81.0909… → 81.09
    year = rules.annual(months, R335)
    assert (year.total, year.grade, year.months_counted) == (D("81.09"), GOOD, 11)


def test_the_party_year_is_the_mean_of_the_quarters():
    # Q1 (90, 90, 90) = 90; Q2 (60) = 60 → 75; by months it would be 82.5
    months = [Month(1, D(90), EXCELLENT), Month(2, D(90), EXCELLENT), Month(3, D(90), EXCELLENT),
              Month(4, D(60), DONE)]
    assert rules.annual(months, R366).total == D(75)
    assert rules.annual(months, R335).total == D("82.50")


def test_a_months_veto_fails_the_year_and_too_few_months_are_not_graded():
    months = [Month(1, D(95), EXCELLENT), Month(2, D(95), FAILED, vetoes=("discipline",))]
    assert rules.annual(months, R335).grade == FAILED
    strict = RubricRules.from_data({**DECREE_335, "annual": {"rule": "months", "min_months": 6}})
    assert rules.annual(months[:1], strict).grade is None


def test_a_transfer_sends_the_old_units_months_along_and_the_month_of_the_move_is_kept_once():
    old = [Month(m, D(70), GOOD, agency="old") for m in range(1, 7)] + [Month(7, D(70), GOOD, "old", days_worked=10)]
    new = [Month(7, D(90), EXCELLENT, "new", days_worked=21)] + [Month(m, D(90), EXCELLENT, "new")
                                                                 for m in range(8, 13)]
    merged = rules.merge_transfer(new, old)
    assert [m.month for m in merged] == list(range(1, 13))
    assert [m.agency for m in merged] == ["old"] * 6 + ["new"] * 6
    # (6 × 70 + 6 × 90) / 12 = 80
    assert rules.annual(merged, R335).total == D(80)


def test_the_shipped_leave_and_transfer_rules_are_decree_335s_and_a_body_without_them_reads_the_same():
    assert R335.leave == R366.leave == LeaveRule("excluded", 0)
    assert R335.transfer == R366.transfer == TransferRule("more_days", True)
    older = {k: v for k, v in DECREE_335.items() if k not in ("leave", "transfer")}  # a version stored before
    assert RubricRules.from_data(older) == R335


def _rubric(**changes) -> RubricRules:
    return RubricRules.from_data({**DECREE_335, **changes})


def test_by_worked_mean_a_month_on_leave_counts_with_the_mean_of_the_months_worked():
    # five months worked at 80, 80, 80, 90, 90 and seven months of maternity leave; six months needed
    months = [Month(m, D(t), GOOD) for m, t in ((1, 80), (2, 80), (3, 80), (4, 90), (5, 90))] + [
        Month(m, D(0), FAILED, worked=False, days_worked=0) for m in range(6, 13)]
    needs_six = {"annual": {"rule": "months", "min_months": 6}}
    excluded = rules.annual(months, _rubric(**needs_six))
    assert (excluded.total, excluded.grade, excluded.months_counted) == (None, None, 5)  # 5 < 6: not graded
    filled = rules.annual(months, _rubric(**needs_six, leave={"month": "worked_mean", "min_days": 0}))
    # the mean of the months worked, 420 / 5 = 84, for each of the twelve months: 84
    assert (filled.total, filled.grade, filled.months_counted) == (D(84), GOOD, 12)


def test_by_worked_mean_the_quarters_of_leave_take_the_mean_of_the_months_worked():
    # Q1 90, 90, 90; Q2 60 then two months on leave. Quarters, leave left out: (90 + 60) / 2 = 75.
    months = [Month(1, D(90), EXCELLENT), Month(2, D(90), EXCELLENT), Month(3, D(90), EXCELLENT),
              Month(4, D(60), DONE), Month(5, D(0), FAILED, worked=False), Month(6, D(0), FAILED, worked=False)]
    assert rules.annual(months, R366).total == D(75)
    # counted: the mean of the months worked (330 / 4 = 82.5) for May and June; Q2 = (60 + 82.5 + 82.5) / 3 = 75;
    # the year (90 + 75) / 2 = 82.5
    filled = RubricRules.from_data({**REGULATION_366, "leave": {"month": "worked_mean"}})
    assert rules.annual(months, filled).total == D("82.50")


def test_a_month_with_fewer_days_worked_than_the_rule_is_a_month_on_leave():
    assert rules.month_worked(False, 3) and not rules.month_worked(True, 30)  # the default: only a month on leave
    ten = LeaveRule(min_days=10)
    assert (rules.month_worked(False, 9, ten), rules.month_worked(False, 10, ten), rules.month_worked(True, 20, ten)
            ) == (False, True, False)


def test_the_month_of_a_transfer_goes_to_the_new_unit_and_the_old_months_stay_behind_by_the_rule():
    old = [Month(m, D(70), GOOD, agency="old") for m in range(1, 7)] + [Month(7, D(70), GOOD, "old", days_worked=20)]
    new = [Month(7, D(90), EXCELLENT, "new", days_worked=11)] + [Month(m, D(90), EXCELLENT, "new")
                                                                 for m in range(8, 13)]
    by_days = rules.merge_transfer(new, old)  # July: 20 days in the old unit against 11
    assert [m.agency for m in by_days] == ["old"] * 7 + ["new"] * 5
    assert rules.annual(by_days, R335).total == D("78.33")  # (7 × 70 + 5 × 90) / 12 = 78.333…
    to_new = rules.merge_transfer(new, old, TransferRule(month="new_unit"))
    assert [m.agency for m in to_new] == ["old"] * 6 + ["new"] * 6
    assert rules.annual(to_new, R335).total == D(80)  # (6 × 70 + 6 × 90) / 12
    alone = rules.merge_transfer(new, old, TransferRule(sent_along=False))
    assert [m.month for m in alone] == list(range(7, 13)) and {m.agency for m in alone} == {"new"}
    assert rules.annual(alone, R335).total == D(90)


def test_a_rubric_names_the_leave_or_transfer_field_that_is_wrong():
    for changes, field in (({"leave": {"month": "always"}}, "leave.month"),
                           ({"leave": {"min_days": 32}}, "leave.min_days"),
                           ({"leave": {"min_days": -1}}, "leave.min_days"),
                           ({"leave": {"min_days": True}}, "leave.min_days"),
                           ({"leave": "excluded"}, "leave"),
                           ({"transfer": {"month": "old_unit"}}, "transfer.month"),
                           ({"transfer": {"sent_along": "yes"}}, "transfer.sent_along")):
        with pytest.raises(RubricError) as err:
            RubricRules.from_data({**DECREE_335, **changes})
        assert err.value.field == field


def test_rankings_share_a_rank_on_equal_scores():
    assert rules.rankings({"a": D(90), "b": D(80), "c": D(90), "d": D(70)}) == {"a": 1, "b": 3, "c": 1, "d": 4}


def test_a_rubric_with_wrong_data_says_which_part():
    with pytest.raises(RubricError) as err:
        RubricRules.from_data({**DECREE_335, "thresholds": {"excellent": 60, "good": 70, "done": 50}})
    assert err.value.field == "thresholds"
    with pytest.raises(RubricError) as err:
        RubricRules.from_data({**DECREE_335, "tasks_max": 60})
    assert err.value.field == "tasks_max"


# -- properties ------------------------------------------------------------------------------------------
amounts = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
points = st.decimals(min_value=-5, max_value=15, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def task_figures(draw):
    assigned = draw(amounts)
    completed = draw(st.decimals(min_value=0, max_value=assigned, places=2)) if assigned else D(0)
    return TaskFigures(assigned, completed, draw(st.decimals(min_value=0, max_value=completed, places=2)),
                       draw(st.decimals(min_value=0, max_value=completed, places=2)), draw(amounts), draw(amounts))


general = st.fixed_dictionaries({c.code: points for c in R335.general})


@settings(deadline=None, max_examples=200)
@given(general, task_figures(), st.booleans())
def test_scores_stay_within_bounds(pts, f, leader):
    direction = Direction(managed_grades=(FAILED,), unit=f) if leader else None
    s = rules.score(pts, f, R335, direction)
    assert 0 <= s.general <= 30 and 0 <= s.tasks <= 70 and 0 <= s.total <= 100


@settings(deadline=None, max_examples=200)
@given(general, task_figures(), amounts, st.sampled_from(["quality_deduction", "progress_deduction"]))
def test_a_deduction_never_raises_a_score_and_an_exemption_never_lowers_one(pts, f, more, kind):
    before = rules.score(pts, f, R335).total
    deducted = TaskFigures(**{**f.__dict__, kind: getattr(f, kind) + more})
    exempted = TaskFigures(**{**f.__dict__, kind: D(0)})
    assert rules.score(pts, deducted, R335).total <= before <= rules.score(pts, exempted, R335).total


@settings(deadline=None, max_examples=200)
@given(general, st.sampled_from(sorted(R335.vetoes)), st.decimals(min_value=-5, max_value=15, places=2))
def test_lowering_a_criterion_never_raises_a_score(pts, _veto, lower):
    code = R335.general[0].code
    lowered = {**pts, code: min(pts[code], lower)}
    assert rules.score(lowered, TaskFigures(), R335).total <= rules.score(pts, TaskFigures(), R335).total


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2), st.lists(st.sampled_from(VETOES), min_size=1),
       st.sampled_from([R335, R366]))
def test_a_veto_always_fails(total, vetoes, rubric):
    vetoes = [v for v in vetoes if v in rubric.vetoes] or [rubric.vetoes[0]]
    assert rules.graded(total, rubric, vetoes) == FAILED


entries = st.lists(st.tuples(st.sampled_from([EXCELLENT, GOOD, DONE, FAILED]),
                             st.decimals(min_value=0, max_value=100, places=2), st.sampled_from(["", "A", "B"])),
                   max_size=40)


@settings(deadline=None, max_examples=200)
@given(entries, st.sampled_from(["good_or_better", "good"]))
def test_the_cap_is_never_exceeded_after_step_3_and_only_excellent_are_lowered_to_good(rows, cap_of):
    rubric = RubricRules.from_data({**DECREE_335, "cap": {"pct": 20, "of": cap_of}})
    given_entries = [Entry(i, grade, total, group) for i, (grade, total, group) in enumerate(rows)]
    concluded = rules.within_cap(given_entries, rubric)
    assert rules.cap_exceeded(concluded, rubric) == []
    assert all(a.grade == b.grade or (a.grade == EXCELLENT and b.grade == GOOD)
               for a, b in zip(given_entries, concluded, strict=True))


months = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 31)), max_size=12, unique_by=lambda t: t[0])


transfer_rules = st.builds(TransferRule, st.sampled_from(TRANSFER_MONTHS), st.booleans())


@settings(deadline=None, max_examples=300)
@given(months, months, transfer_rules)
def test_a_transfer_neither_loses_nor_doubles_a_month(old, new, transfer):
    sent = [Month(m, D(70), GOOD, "old", days_worked=d) for m, d in old]
    own = [Month(m, D(90), EXCELLENT, "new", days_worked=d) for m, d in new]
    merged = rules.merge_transfer(own, sent, transfer)
    expected = {m for m, _d in new} | ({m for m, _d in old} if transfer.sent_along else set())
    assert [m.month for m in merged] == sorted(expected)  # every month once: none lost, none doubled
    assert all(m in sent or m in own for m in merged)
    assert all(m in own for m in merged if m.month in {n for n, _d in new} and (
        transfer.month == "new_unit" or not transfer.sent_along))
    if transfer == TransferRule():  # the default keeps what it always did
        assert merged == rules.merge_transfer(own, sent)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=100, places=2), st.booleans()), min_size=1,
                max_size=12),
       st.sampled_from(LEAVE_MONTHS), st.sampled_from(["months", "quarters"]), st.integers(0, 12))
def test_the_year_stays_within_the_months_worked_and_leave_never_doubles_a_month(rows, leave, rule, min_months):
    months_ = [Month(i + 1, total, GOOD, worked=worked) for i, (total, worked) in enumerate(rows)]
    rubric = _rubric(leave={"month": leave}, annual={"rule": rule, "min_months": min_months})
    year = rules.annual(months_, rubric)
    worked = [m.total for m in months_ if m.worked]
    assert year.months_counted == (len(months_) if leave == "worked_mean" and worked else len(worked))
    assert year.months_counted <= len(months_)
    if year.total is not None:
        assert min(worked) <= year.total <= max(worked)
