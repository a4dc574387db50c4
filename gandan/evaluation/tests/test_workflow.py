"""The month's three steps in order, only the right person at each, a locked month read-only, a
reopening by the level above audited with both values kept; opening is set-based."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandan.core.models import AuditEvent
from gandan.evaluation import services
from gandan.evaluation.models import AgencyMonth, MonthStatus, Rubric, Sheet, SheetStatus
from gandan.evaluation.rubric import DECREE_335
from gandan.evaluation.testing import MONTH, assess, open_month, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import make_cadre, make_user
from gandan.plans.testing import assess as task_assess
from gandan.plans.testing import assign, finish, on

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_shipped_rubrics_are_data_dated_from_their_texts():
    assert set(Rubric.objects.filter(province=None).values_list("kind", "valid_from")) == {
        ("civil_servant", D(2026, 1, 1)), ("party_member", D(2025, 1, 1))}


def test_opening_the_month_fills_every_cadres_sheet_with_the_evidence_and_its_record_ids(world):
    task = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="2")
    finish(task, world.commune_a_cadre, D(2026, 3, 18))
    task_assess(task, world.commune_a_leader, D(2026, 3, 19))
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    assert sheet.rubric.kind == "civil_servant" and sheet.status == SheetStatus.OPEN
    assert sheet.evidence["tasks"]["assigned"] == "2.0000" and sheet.evidence["tasks"]["quality_ids"] == [task.pk]
    assert set(sheet.evidence) >= {"tasks", "fieldwork", "petitions", "campaigns"}
    assert sheet.scores.count() == 4
    assert AuditEvent.objects.filter(action="evaluation.month.open", object_id=str(month.pk)).exists()


def test_opening_is_set_based_the_same_statements_for_one_cadre_or_twenty(world):
    def statements() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.month_open(actor=None, unit=world.commune_b, month=MONTH)
        return len(ctx.captured_queries)

    first = statements()
    Sheet.objects.all().delete()
    AgencyMonth.objects.all().delete()
    for i in range(20):
        make_cadre(world.agency_b, f"Cán bộ {i}")
    assert statements() == first


def test_steps_in_order_and_only_the_right_person_at_each(world):
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    cadre, leader = world.commune_a_cadre, world.commune_a_leader
    with pytest.raises(ValidationError):  # step 2 waits for step 1
        assess(sheet, leader)
    for outsider in (leader, world.commune_b_admin, world.other_province_leader, world.nobody):
        with pytest.raises(PermissionDenied):
            self_assess(sheet, outsider)
    self_assess(sheet, cadre, 26)
    for outsider in (cadre, world.other_province_leader, world.commune_b_admin, world.commune_a_viewer):
        with pytest.raises(PermissionDenied):
            assess(sheet, outsider)
    with pytest.raises(ValidationError):  # step 3 waits for step 2
        services.month_conclude(actor=leader, month=month)
    assess(sheet, leader)
    for outsider in (cadre, world.other_province_leader, world.commune_b_admin):
        with pytest.raises(PermissionDenied):
            services.month_conclude(actor=outsider, month=month)
    services.month_conclude(actor=leader, month=month)
    sheet.refresh_from_db()
    # no task in the month: 26 / 30 × 70 = 60.67, total 86.67 → good
    assert (sheet.total, sheet.grade, sheet.status) == (Decimal("86.67"), "good", SheetStatus.CONCLUDED)


def test_a_changed_score_needs_a_reason_and_a_bad_value_names_its_criterion(world):
    month = open_month(world)
    sheet = self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 26)
    with pytest.raises(ValidationError) as err:
        assess(sheet, world.commune_a_leader, 20, reason="")
    assert set(err.value.message_dict) == {"grassroots", "innovation"}
    with pytest.raises(ValidationError) as err:
        services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet_of(month, world.cadre_a.pk),
                                   points={"politics": "11", "capacity": "x", "grassroots": "5"})
    assert set(err.value.message_dict) == {"politics", "capacity", "innovation"}
    assessed = assess(sheet, world.commune_a_leader, 20, reason="Chậm trả lời phản ánh")
    assert assessed.scores.get(code="innovation").reason == "Chậm trả lời phản ánh"
    assert assessed.scores.get(code="politics").reason == ""


def test_a_locked_month_is_read_only_and_reopens_only_by_the_level_above_with_both_values_kept(world):
    month = open_month(world)
    sheet = assess(self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 26), world.commune_a_leader)
    services.month_conclude(actor=world.commune_a_leader, month=month)
    month.refresh_from_db()
    assert month.locked and month.published
    sheet = sheet_of(month, world.cadre_a.pk)
    with pytest.raises(ValidationError):
        self_assess(sheet, world.commune_a_cadre, 20)
    with pytest.raises(ValidationError):
        assess(sheet, world.commune_a_leader, 20)
    for not_above in (world.commune_a_leader, world.other_province_leader, world.commune_a_cadre):
        with pytest.raises(PermissionDenied):
            services.month_reopen(actor=not_above, month=month, reason="Sai sót")
    with pytest.raises(ValidationError):
        services.month_reopen(actor=world.province_committee, month=month, reason=" ")
    reopening = services.month_reopen(actor=world.province_committee, month=month, reason="Phản ánh chưa tính")
    month.refresh_from_db()
    assert month.status == MonthStatus.REOPENED
    assess(sheet_of(month, world.cadre_a.pk), world.commune_a_leader, 16, reason="Tính lại phản ánh")
    services.month_conclude(actor=world.commune_a_leader, month=month)
    reopening.refresh_from_db()
    assert reopening.before[0]["total"] == "86.67" and reopening.before[0]["grade"] == "good"
    assert reopening.after[0]["total"] == "53.33" and reopening.after[0]["grade"] == "done"
    actions = list(AuditEvent.objects.filter(object_id=str(month.pk), object_type="evaluation.agencymonth")
                   .values_list("action", flat=True))
    assert actions == ["evaluation.month.open", "evaluation.month.conclude", "evaluation.month.reopen",
                       "evaluation.month.conclude"]


def test_the_cap_blocks_the_conclusion_and_names_who_is_above_the_line(world):
    others = [make_cadre(world.agency_a, f"Cán bộ {i}") for i in range(4)]
    accounts = [make_user(f"c{i}", role=Role.CADRE, unit=world.commune_a, cadre=c) for i, c in enumerate(others)]
    month = open_month(world)
    leader = world.commune_a_leader
    # five graded good-or-better → one excellent allowed; two have 100 and 99.67 (29.86…: 29.9 general)
    for account, cadre, total in [(world.commune_a_cadre, world.cadre_a, 30), *zip(accounts, others,
                                                                                   ["29.9", 24, 24, 24],
                                                                                   strict=True)]:
        assess(self_assess(sheet_of(month, cadre.pk), account, total), leader)
    with pytest.raises(services.CapExceeded) as err:
        services.month_conclude(actor=leader, month=month)
    assert err.value.above == [sheet_of(month, others[0].pk).pk]
    assert "Cán bộ 0" in str(err.value)
    month.refresh_from_db()
    assert not month.locked and not Sheet.objects.filter(status=SheetStatus.CONCLUDED).exists()
    services.month_conclude(actor=leader, month=month, grades={sheet_of(month, others[0].pk).pk: "good"})
    assert sorted(Sheet.objects.values_list("grade", flat=True)) == ["excellent", "good", "good", "good", "good"]


def test_a_veto_at_step_3_fails_whatever_the_score_and_the_leadership_cannot_raise_a_grade(world):
    month = open_month(world)
    sheet = assess(self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 20), world.commune_a_leader)
    services.month_conclude(actor=world.commune_a_leader, month=month, vetoes={sheet.pk: ["discipline"]},
                            grades={sheet.pk: "excellent"})
    sheet.refresh_from_db()
    assert (sheet.grade, sheet.vetoes) == ("failed", ["discipline"])


def test_a_cadre_on_leave_is_not_graded_and_does_not_hold_the_month(world):
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    with pytest.raises(PermissionDenied):
        services.sheet_leave(actor=world.commune_a_cadre, sheet=sheet, on_leave=True, days_worked=0)
    services.sheet_leave(actor=world.commune_a_leader, sheet=sheet, on_leave=True, days_worked=0)
    with on(D(2026, 4, 8)):
        services.month_conclude(actor=world.commune_a_leader, month=month)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.grade) == (SheetStatus.CONCLUDED, "")


def test_the_party_members_track_uses_366_and_its_extra_conditions(world):
    with on(D(2026, 4, 1)):
        services.month_open(actor=world.commune_a_leader, unit=world.commune_a, month=MONTH, kind="party_member")
    party = AgencyMonth.objects.get(agency=world.agency_a, month=MONTH, kind="party_member")
    (sheet,) = party.sheets.select_related("agency_month", "cadre", "rubric")  # cadre_a is the party member
    assert sheet.rubric.kind == "party_member" and sheet.scores.count() == 2
    services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet, points={"politics": "15", "duty": "14"})
    sheet = Sheet.objects.select_related("agency_month", "cadre", "rubric", "assessor").get(pk=sheet.pk)
    services.sheet_assess(actor=world.commune_a_leader, sheet=sheet, points={"politics": "15", "duty": "14"},
                          reasons={})
    services.month_conclude(actor=world.commune_a_leader, month=party)
    sheet.refresh_from_db()
    # 29 + 29/30 × 70 = 96.67, but no product exceeded requirements (< 30%): good, not excellent
    assert (sheet.total, sheet.computed_grade, sheet.grade) == (Decimal("96.67"), "good", "good")
    open_month(world)  # the civil servants' track of the same month is its own
    assert Sheet.objects.filter(cadre=world.cadre_a, month=MONTH).count() == 2


def test_a_provinces_rubric_version_applies_from_its_date_and_a_bad_one_names_its_part(world):
    with pytest.raises(PermissionDenied):
        services.rubric_save(actor=world.commune_a_leader, kind="civil_servant", name="Tỉnh", province=world.province,
                             valid_from=D(2026, 3, 1), body=DECREE_335)
    with pytest.raises(ValidationError) as err:
        services.rubric_save(actor=world.province_committee, kind="civil_servant", name="Tỉnh",
                             province=world.province, valid_from=D(2026, 3, 1),
                             body={**DECREE_335, "combination": "median"})
    assert "combination" in err.value.message_dict
    own = services.rubric_save(actor=world.province_committee, kind="civil_servant", name="Bộ tiêu chí của tỉnh",
                               province=world.province, valid_from=D(2026, 3, 1),
                               body={**DECREE_335, "combination": "min"})
    assert AuditEvent.objects.filter(action="evaluation.rubric.create", object_id=str(own.pk)).exists()
    february = open_month(world, D(2026, 2, 1))
    march = open_month(world, D(2026, 3, 1))
    assert sheet_of(february, world.cadre_a.pk).rubric.province_id is None
    assert sheet_of(march, world.cadre_a.pk).rubric == own


def test_the_national_rubrics_come_back_where_a_database_was_emptied_without_its_migrations(world):
    from gandan.evaluation.models import Rubric

    Rubric.objects.filter(province=None, sheets__isnull=True).delete()
    assert services.default_rubrics_ensure() == 2
    assert services.default_rubrics_ensure() == 0
    assert set(Rubric.objects.filter(province=None).values_list("kind", flat=True)) == {"civil_servant",
                                                                                        "party_member"}
