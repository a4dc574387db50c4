"""The configuration page's changes, one POST-only view each: the committee's change is saved and the
page comes back; bad input comes back with the field's error and what was typed; those who may not
configure are refused; a day or rule of another province answers 404 like a missing one; a GET is
refused; and in every refusal nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.petitions.models import DeadlineRule, Holiday, PetitionField, WorkingTime

pytestmark = pytest.mark.django_db
MISSING = 987654
CHANGES: dict[str, dict[str, Any]] = {
    "petitions-settings-field": {"code": "nuoc_sach", "name_vi": "Nước sạch", "name_en": "Clean water",
                                 "active": "1"},
    "petitions-settings-working-time": {"morning_start": "07:00", "morning_end": "11:00", "afternoon_start": "13:00",
                                        "afternoon_end": "17:00", "weekdays": ["0", "1", "2", "3", "4", "5"]},
    "petitions-settings-holiday": {"date": "02/01/2026", "name": "Nghỉ bù"},
    "petitions-settings-rule": {"stage": "resolve", "field": "land", "urgency": "", "level": "commune",
                                "amount": "15", "unit": "days"},
}


def configuration() -> tuple:
    """Everything a refused change must leave as it was."""
    return (list(PetitionField.objects.values_list("code", "name_vi", "active")),
            list(WorkingTime.objects.values_list("morning_start", "weekdays")),
            list(Holiday.objects.values_list("province_id", "date", "name", "working_day")),
            list(DeadlineRule.objects.values_list("province_id", "stage", "field", "amount", "unit")),
            AuditEvent.objects.count())


@pytest.fixture
def holiday(world) -> Holiday:
    return Holiday.objects.create(province=world.province, date=dt.date(2026, 1, 2), name="Nghỉ bù")


@pytest.fixture
def rule(world) -> DeadlineRule:
    return DeadlineRule.objects.create(province=world.province, stage="resolve", amount=15, unit="days")


# -- the committee's changes are saved -------------------------------------------------------------
def test_the_committee_adds_a_field(world, client_as):
    response = client_as(world.province_committee).post(reverse("petitions-settings-field"),
                                                         CHANGES["petitions-settings-field"])
    assert response.status_code == 302 and response["Location"] == reverse("petitions-settings")
    row = PetitionField.objects.get(province=world.province, code="nuoc_sach")
    assert (row.name_vi, row.name_en, row.active) == ("Nước sạch", "Clean water", True)


def test_a_field_posted_without_the_box_ticked_stops_being_used(world, client_as):
    client = client_as(world.province_committee)
    client.post(reverse("petitions-settings-field"), {"code": "land", "name_vi": "Đất đai"})
    assert PetitionField.objects.get(province=world.province, code="land").active is False


def test_the_committee_sets_the_working_time(world, client_as):
    response = client_as(world.province_committee).post(reverse("petitions-settings-working-time"),
                                                         CHANGES["petitions-settings-working-time"])
    assert response.status_code == 302
    row = WorkingTime.objects.get(province=world.province)
    assert (row.morning_start, row.afternoon_end, row.weekdays) == (dt.time(7), dt.time(17), [0, 1, 2, 3, 4, 5])


def test_the_committee_adds_a_day_off_and_removes_it(world, client_as):
    client = client_as(world.province_committee)
    response = client.post(reverse("petitions-settings-holiday"), {"date": "2026-01-02", "name": "Nghỉ bù",
                                                                   "working_day": "on"})
    assert response.status_code == 302
    day = Holiday.objects.get(province=world.province, date=dt.date(2026, 1, 2))
    assert (day.name, day.working_day) == ("Nghỉ bù", True)
    response = client.post(reverse("petitions-settings-holiday-remove", args=[day.pk]))
    assert response.status_code == 302 and not Holiday.objects.exists()


def test_the_committee_sets_a_deadline_rule_and_removes_it(world, client_as):
    client = client_as(world.province_committee)
    response = client.post(reverse("petitions-settings-rule"), CHANGES["petitions-settings-rule"])
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(province=world.province)
    assert (rule.stage, rule.field, rule.level, rule.amount, rule.unit) == ("resolve", "land", "commune", 15, "days")
    assert client.post(reverse("petitions-settings-rule-remove", args=[rule.pk])).status_code == 302
    assert not DeadlineRule.objects.exists()


def test_the_page_shows_what_is_saved_in_its_forms(world, client_as):
    WorkingTime.objects.create(province=world.province, morning_start=dt.time(7), morning_end=dt.time(11),
                               afternoon_start=dt.time(13), afternoon_end=dt.time(16, 30), weekdays=[0, 1, 2, 3, 4])
    page = client_as(world.province_committee).get(reverse("petitions-settings")).content.decode()
    assert 'name="afternoon_end" value="16:30"' in page
    assert 'name="weekdays" value="4"' in page and 'id="working-weekdays_5"' in page


# -- bad input: the page again with the field's error and what was typed -----------------------------
@pytest.mark.parametrize(("name", "data", "field", "message"), [
    ("petitions-settings-field", {"code": "Nước sạch!", "name_vi": "Nước sạch"}, "code", "Mã lĩnh vực gồm"),
    ("petitions-settings-field", {"code": "nuoc", "name_vi": "x" * 121}, "name_vi", ""),
    ("petitions-settings-working-time", {**CHANGES["petitions-settings-working-time"], "morning_end": "11h"},
     "morning_end", "Giờ phải dạng HH:MM, ví dụ 07:30."),
    ("petitions-settings-holiday", {"date": "31/02/2026", "name": "Nghỉ bù"}, "date", "không tồn tại"),
    ("petitions-settings-holiday", {"date": "02/01/2026", "name": " "}, "name", "Hãy ghi tên ngày nghỉ"),
    ("petitions-settings-rule", {**CHANGES["petitions-settings-rule"], "amount": "400"}, "amount",
     "Thời hạn từ 1 đến 365"),
    ("petitions-settings-rule", {**CHANGES["petitions-settings-rule"], "stage": "close"}, "stage", ""),
])
def test_bad_input_comes_back_with_its_error_and_changes_nothing(world, client_as, name, data, field, message):
    before = configuration()
    response = client_as(world.province_committee).post(reverse(name), data)
    assert response.status_code == 400
    form = next(response.context[key] for key in ("field_form", "working_form", "holiday_form", "rule_form")
                if response.context[key].is_bound)
    assert form.has_error(field)
    assert message in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert configuration() == before


def test_a_refused_working_time_keeps_what_was_typed(world, client_as):
    data = {**CHANGES["petitions-settings-working-time"], "morning_start": "11:00", "morning_end": "07:00"}
    response = client_as(world.province_committee).post(reverse("petitions-settings-working-time"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="morning_start" value="11:00"' in page and 'name="morning_end" value="07:00"' in page
    assert not WorkingTime.objects.exists()


# -- who may change, outsiders, GET -----------------------------------------------------------------
@pytest.mark.parametrize("persona", ["commune_a_leader", "commune_b_admin", "department_handler"])
@pytest.mark.parametrize("name", list(CHANGES))
def test_those_who_may_not_configure_are_refused_and_nothing_changes(world, client_as, name, persona):
    before = configuration()
    response = client_as(getattr(world, persona)).post(reverse(name), CHANGES[name])
    assert response.status_code == 403
    assert "Chỉ cấp ủy hoặc quản trị cấp tỉnh" in response.content.decode()
    assert configuration() == before


@pytest.mark.parametrize("name", ["petitions-settings-holiday-remove", "petitions-settings-rule-remove"])
def test_removing_is_refused_to_those_who_may_not_configure(world, client_as, holiday, rule, name):
    before = configuration()
    pk = holiday.pk if "holiday" in name else rule.pk
    response = client_as(world.commune_a_leader).post(reverse(name, args=[pk]))
    assert response.status_code == 403 and "Chỉ cấp ủy hoặc quản trị cấp tỉnh" in response.content.decode()
    assert configuration() == before


@pytest.mark.parametrize("name", ["petitions-settings-holiday-remove", "petitions-settings-rule-remove"])
def test_a_day_or_rule_of_another_province_is_answered_as_missing(world, client_as, holiday, rule, name):
    before = configuration()
    pk = holiday.pk if "holiday" in name else rule.pk
    client = client_as(world.other_province_leader)
    hidden, missing = client.post(reverse(name, args=[pk])), client.post(reverse(name, args=[MISSING]))
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert configuration() == before


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_user_without_a_province_is_answered_as_missing(world, client_as, name):
    before = configuration()
    assert client_as(world.nobody).post(reverse(name), CHANGES[name]).status_code == 404
    assert configuration() == before


@pytest.mark.parametrize("name", list(CHANGES))
def test_changes_are_post_only(world, client_as, name):
    assert client_as(world.province_committee).get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["petitions-settings-holiday-remove", "petitions-settings-rule-remove"])
def test_removals_are_post_only(world, client_as, holiday, rule, name):
    pk = holiday.pk if "holiday" in name else rule.pk
    assert client_as(world.province_committee).get(reverse(name, args=[pk])).status_code == 405
    assert Holiday.objects.exists() and DeadlineRule.objects.exists()
