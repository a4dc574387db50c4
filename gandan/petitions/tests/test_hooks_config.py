"""Merged units hand their open concerns on; a departing cadre's concerns stay with the unit; a
province's configuration (fields, hours, holidays, rules) changes its deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gandan.org.services import unit_merge
from gandan.people.services import cadre_leave
from gandan.petitions import config, config_services, services
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db


def test_open_concerns_of_a_merged_commune_move_to_the_commune_it_merged_into(world):
    open_one = receive(world, unit=world.commune_b, actor=world.province_committee, text="Mở")
    closed_one = services.petition_route_out(actor=world.province_committee, kind="complaint", reason="luật",
                                             petition=receive(world, unit=world.commune_b,
                                                              actor=world.province_committee, text="Đóng"))
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2025, 7, 1))
    open_one.refresh_from_db()
    closed_one.refresh_from_db()
    assert (open_one.unit, open_one.holder_unit) == (world.commune_a, world.commune_a)
    assert open_one.holder_agency == world.agency_b  # the agency itself moved with the merge
    assert closed_one.unit == world.commune_b


def test_a_cadre_who_leaves_no_longer_holds_concerns(world):
    petition = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world))
    assert petition.holder_cadre == world.cadre_a
    admin = world.commune_b_admin
    from gandan.people.models import Role, RoleGrant

    RoleGrant.objects.create(user=admin, role=Role.UNIT_ADMIN, unit=world.commune_a)
    from gandan.people import scoping

    scoping.forget(admin)
    cadre_leave(actor=admin, cadre=world.cadre_a, on=dt.date.today())
    petition.refresh_from_db()
    assert petition.holder_cadre is None and petition.holder_unit == world.commune_a


def test_a_province_without_configuration_uses_the_defaults(world):
    assert [f.code for f in config.fields_for(world.province)][:2] == ["land", "infrastructure"]
    calendar = config.calendar_for(world.province, range(2028, 2029))
    assert calendar.hours_per_day == dt.timedelta(hours=7, minutes=30)
    assert not calendar.is_working_day(dt.date(2028, 1, 26))  # Tết Mậu Thân


def test_adding_a_field_keeps_the_defaults_and_the_new_one_is_offered(world):
    config_services.field_save(actor=world.province_committee, province=world.province, code="water",
                               name_vi="Nước sạch", name_en="Clean water")
    codes = [f.code for f in config.fields_for(world.province)]
    assert "water" in codes and "land" in codes
    config_services.field_save(actor=world.province_committee, province=world.province, code="land",
                               name_vi="Đất đai", active=False)
    assert "land" not in [f.code for f in config.fields_for(world.province)]
    with pytest.raises(ValidationError):
        receive(world, field="land")


def test_a_provincial_rule_and_holiday_change_the_deadline(world):
    config_services.rule_set(actor=world.province_committee, province=world.province, stage="resolve",
                             field="infrastructure", amount=2, unit="days")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=tomorrow,
                                name="Ngày nghỉ của tỉnh")
    calendar = config.calendar_for(world.province, config.years_around(tomorrow))
    assert not calendar.is_working_day(tomorrow)
    petition = receive(world)
    local_due = config.local(petition.due_at)
    assert calendar.working_days_between(config.local(petition.received_at).date(), local_due.date()) == 2


def test_only_the_provinces_committee_or_administrators_configure(world):
    with pytest.raises(PermissionDenied):
        config_services.holiday_set(actor=world.commune_a_leader, province=world.province, date=dt.date(2026, 1, 2),
                                    name="Nghỉ")
    with pytest.raises(ValidationError):
        config_services.field_save(actor=world.province_committee, province=world.commune_a, code="x", name_vi="X")


def test_working_hours_must_make_sense(world):
    with pytest.raises(ValidationError):
        config_services.working_time_set(actor=world.province_committee, province=world.province,
                                         periods=((dt.time(11), dt.time(8)), (dt.time(13), dt.time(17))),
                                         weekdays=[0, 1])
    config_services.working_time_set(actor=world.province_committee, province=world.province,
                                     periods=((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))),
                                     weekdays=[0, 1, 2, 3, 4, 5])
    calendar = config.calendar_for(world.province, range(2025, 2026))
    assert calendar.hours_per_day == dt.timedelta(hours=8)
    assert calendar.is_working_day(dt.date(2025, 7, 5))  # a Saturday


def test_a_province_may_cancel_a_default_holiday(world):
    config_services.holiday_set(actor=world.province_committee, province=world.province, date=dt.date(2026, 9, 1),
                                name="Làm việc", working_day=True)
    assert config.calendar_for(world.province, range(2026, 2027)).is_working_day(dt.date(2026, 9, 1))
    assert not config.calendar_for(world.other_province, range(2026, 2027)).is_working_day(dt.date(2026, 9, 1))
    assert Petition.objects.count() == 0
