"""The working calendar of concerns in any year: the public holidays from the package, corrected
nationwide (the `gandan holiday` command) and by a province (its settings page), as the deadlines
of its concerns see them. Every date is given: nothing depends on today."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.petitions import config, config_services
from gandan.petitions.models import Holiday
from gandan.petitions.testing import at

pytestmark = pytest.mark.django_db
D = dt.date


def due(province, received: dt.datetime, urgency: str = "normal") -> tuple[dt.datetime, dt.datetime]:
    """(accept by, resolve by) of a concern the province receives at the commune level."""
    return config.clock_for(province).deadlines(received, field="infrastructure", urgency=urgency, level="commune")


def test_a_concern_received_on_the_last_day_of_2027_is_due_after_the_compensatory_new_year(world):
    # 1 January 2028 is a Saturday: Monday 3 January is off, days count from Tuesday 4 January.
    assert due(world.province, at(D(2027, 12, 31), 16)) == (at(D(2028, 1, 4), 16, 30), at(D(2028, 1, 17), 17))


def test_a_concern_received_before_tet_2028_waits_for_the_week_after(world):
    # Tết Mậu Thân is Wednesday 26 January 2028; Monday 24 to Friday 28 January are off.
    assert due(world.province, at(D(2028, 1, 21), 9)) == (at(D(2028, 1, 31), 9, 30), at(D(2028, 2, 11), 17))


def test_a_concern_received_during_tet_2030_counts_from_its_end(world):
    # Tết Canh Tuất is Saturday 2 February 2030: off from Thursday 31 January to Wednesday 6 February.
    assert due(world.province, at(D(2030, 2, 1), 10)) == (at(D(2030, 2, 8), 8), at(D(2030, 2, 20), 17))


def test_a_rule_of_many_working_days_reaches_as_many_years_as_it_needs(world):
    # A province working only on Wednesdays, and 365 working days to answer: about seven years.
    config_services.working_time_set(actor=world.province_committee, province=world.province,
                                     periods=((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))), weekdays=[2])
    config_services.rule_set(actor=world.province_committee, province=world.province, stage="resolve",
                             urgency="normal", amount=365, unit="days")
    received = at(D(2027, 12, 29), 9)
    _accept_by, resolve_by = due(world.province, received)
    wide = config.calendar_for(world.province, range(2027, 2040))
    assert config.local(resolve_by) == wide.add_days(config.local(received), 365)
    assert resolve_by.year == 2035


def test_a_provinces_own_day_off_moves_its_deadlines_and_no_other_provinces(world):
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=D(2028, 3, 6),
                                name="Ngày nghỉ của tỉnh")
    assert due(world.province, at(D(2028, 3, 3), 16))[0] == at(D(2028, 3, 7), 16, 30)
    assert due(world.other_province, at(D(2028, 3, 3), 16))[0] == at(D(2028, 3, 6), 16, 30)


def test_a_make_up_saturday_counts_as_a_working_day(world):
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=D(2028, 3, 4),
                                name="Làm bù", working_day=True)
    assert due(world.province, at(D(2028, 3, 3), 16))[0] == at(D(2028, 3, 4), 16, 30)
    assert config.calendar_for(world.province, range(2028, 2029)).is_working_day(D(2028, 3, 4))


def test_a_nationwide_swap_holds_in_every_province_unless_a_province_says_otherwise(world):
    # An announcement the package does not know: Monday 29 April 2030 off, Saturday 4 May worked.
    call_command("holiday", "set", "2030-04-29", "Nghỉ hoán đổi", stdout=StringIO())
    call_command("holiday", "set", "2030-05-04", "Làm bù cho ngày 29/4", "--working-day", stdout=StringIO())
    assert Holiday.objects.nationwide().count() == 2
    received = at(D(2030, 4, 26), 16)  # a Friday; 30 April and 1 May are holidays
    assert due(world.other_province, received) == (at(D(2030, 5, 2), 16, 30), at(D(2030, 5, 14), 17))
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=D(2030, 4, 29),
                                name="Tỉnh làm việc", working_day=True)
    assert due(world.province, received)[0] == at(D(2030, 4, 29), 16, 30)
    assert config.calendar_for(None, range(2030, 2031)).is_working_day(D(2030, 5, 4))  # a concern of no province


def test_only_the_system_corrects_the_calendar_nationwide(world):
    with pytest.raises(PermissionDenied):
        config_services.holiday_set(actor=world.province_committee, province=None, date=D(2030, 4, 29), name="Nghỉ")
    assert not Holiday.objects.exists() and not AuditEvent.objects.filter(action__startswith="petition_config").exists()
    row = config_services.holiday_set(actor=None, province=None, date=D(2030, 4, 29), name="Nghỉ hoán đổi")
    event = AuditEvent.objects.get(action="petition_config.holiday")
    assert (event.object_id, event.province_id, event.after["name"]) == (str(row.pk), None, "Nghỉ hoán đổi")
    with pytest.raises(PermissionDenied):
        config_services.holiday_remove(actor=world.province_committee, holiday=row)
    assert Holiday.objects.filter(pk=row.pk).exists()


def test_the_command_lists_a_years_days_and_removes_a_nationwide_row(world):
    call_command("holiday", "set", "2030-04-29", "Nghỉ hoán đổi", stdout=StringIO())
    out = StringIO()
    call_command("holiday", "list", "--year", "2030", stdout=out)
    assert "02/02/2030  Tết Nguyên Đán" in out.getvalue() and "29/04/2030  Nghỉ hoán đổi" in out.getvalue()
    call_command("holiday", "remove", "2030-04-29", stdout=StringIO())
    assert not Holiday.objects.exists()


def test_the_settings_page_shows_a_years_holidays_and_the_corrections(world, client_as):
    config_services.holiday_set(actor=None, province=None, date=D(2028, 3, 6), name="Điều chỉnh toàn quốc X")
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=D(2028, 11, 24),
                                name="Tỉnh làm việc", working_day=True)
    page = client_as(world.province_committee).get(reverse("petitions-settings"), {"year": "2028"})
    html = page.content.decode()
    assert page.status_code == 200 and "26/01/2028</td><td>Tết Nguyên Đán" in html
    assert "Điều chỉnh toàn quốc X" in html and "?year=2029" in html
    assert 'text-muted"><td>24/11/2028</td><td>Ngày Văn hóa Việt Nam' in html  # struck out: the province works
    other = client_as(world.other_province_leader).get(reverse("petitions-settings"), {"year": "2028"})
    assert "Tỉnh làm việc" not in other.content.decode()


def test_going_back_a_migration_gives_each_province_the_nationwide_rows_it_lacked(world):
    migration = importlib.import_module("gandan.petitions.migrations.0002_holiday_nationwide")
    config_services.holiday_set(actor=None, province=None, date=D(2030, 4, 29), name="Nghỉ hoán đổi")
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=D(2030, 4, 29),
                                name="Tỉnh làm việc", working_day=True)
    before = {p: config.calendar_for(p, range(2030, 2031)) for p in (world.province, world.other_province)}
    migration.nationwide_rows_to_each_province(apps, None)
    assert not Holiday.objects.nationwide().exists()
    assert Holiday.objects.get(province=world.other_province).name == "Nghỉ hoán đổi"
    assert Holiday.objects.get(province=world.province).working_day
    assert all(config.calendar_for(p, range(2030, 2031)) == cal for p, cal in before.items())
