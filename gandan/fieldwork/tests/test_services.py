"""Services: concerns heard on a visit become concern records inside the visit's transaction (once, even
when the sync is replayed), checklist topics and quotas, month locks, and the merge/leave hooks."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gandan.core.models import AuditEvent
from gandan.fieldwork import queries, services, setting_services
from gandan.fieldwork.inputs import VisitIn
from gandan.fieldwork.models import ChecklistTopic, Meeting, MonthLock, Quota, Visit
from gandan.fieldwork.testing import body, make_visit
from gandan.org.services import unit_merge
from gandan.people.services import cadre_leave
from gandan.petitions.models import Petition

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/visits"


def post(client, data):
    return client.post(API, json.dumps(data), content_type="application/json")


def test_concerns_heard_become_concern_records_listed_on_the_visit(world, bearer):
    data = body(world, household_ids=[world.household_a1.pk], concerns=[
        {"text": "Đường vào thôn sạt lở, đề nghị sửa trước mùa mưa.", "field": "infrastructure"},
        {"text": "Xin hỗ trợ bể nước.", "field": "social_policy", "household_id": world.household_a1.pk}])

    response = post(bearer(world.commune_a_cadre), data)

    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    concerns = queries.concerns_of(visit)
    assert [c.text for c in concerns] == ["Đường vào thôn sạt lở, đề nghị sửa trước mùa mưa.", "Xin hỗ trợ bể nước."]
    assert {c.source_ref for c in concerns} == {data["client_uuid"]}
    assert {c.channel for c in concerns} == {"visit"}
    assert concerns[1].household == world.household_a1
    assert concerns[0].unit == world.village_a1


def test_a_replayed_visit_does_not_record_its_concerns_twice(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world, concerns=[{"text": "Đề nghị lắp đèn đường.", "field": "infrastructure"}])
    post(client, data)

    assert post(client, data).status_code == 200
    assert Petition.objects.count() == 1


def test_a_bad_concern_writes_neither_the_visit_nor_any_concern(world, bearer):
    data = body(world, concerns=[{"text": "Tốt", "field": "other"}, {"text": "x", "field": "weather"}])
    response = post(bearer(world.commune_a_cadre), data)

    assert response.status_code == 422
    assert not Visit.objects.exists() and not Petition.objects.exists()


def test_a_concern_naming_a_household_not_visited_is_refused(world, bearer):
    data = body(world, concerns=[{"text": "Ý kiến", "field": "other", "household_id": world.household_b1.pk}])
    assert post(bearer(world.commune_a_cadre), data).status_code == 422
    assert not Visit.objects.exists()


def test_the_first_submission_is_one_insert_per_row_and_one_audit_row(world, django_assert_max_num_queries):
    data = VisitIn(client_uuid=uuid.uuid4(), date=timezone.localdate(), kind="field_day",
                   unit_ids=[world.village_a1.pk], household_ids=[world.household_a1.pk],
                   findings={"security": "Ổn định"})
    with django_assert_max_num_queries(16):
        services.visit_record(actor=world.commune_a_cadre, data=data)
    assert AuditEvent.objects.filter(action="visit.record").count() == 1


def test_a_replay_reads_one_row_and_writes_nothing(world, django_assert_max_num_queries):
    data = VisitIn(client_uuid=uuid.uuid4(), date=timezone.localdate(), kind="field_day",
                   unit_ids=[world.village_a1.pk])
    services.visit_record(actor=world.commune_a_cadre, data=data)
    # The cadre, the write context (which finds the UUID stored), the stored visit with its cadre.
    with django_assert_max_num_queries(3):
        services.visit_record(actor=world.commune_a_cadre, data=data)


def test_a_followed_unit_outside_the_grants_may_be_visited(world):
    from gandan.assignments.models import Assignment

    Assignment.objects.create(province=world.province, cadre=world.cadre_a, unit=world.village_b1,
                              area=world.commune_b, start=timezone.localdate() - dt.timedelta(days=30))
    visit = make_visit(world, units=[world.village_b1])
    assert list(visit.unit_links.values_list("unit_id", flat=True)) == [world.village_b1.pk]


# -- topics, quotas, locks ---------------------------------------------------------------------------
def test_the_default_checklist_is_filled_once(world):
    setting_services.topics_ensure_defaults(actor=None, province=world.province)
    setting_services.topics_ensure_defaults(actor=None, province=world.province)
    assert ChecklistTopic.objects.filter(province=world.province).count() == 7
    assert AuditEvent.objects.filter(action="checklist.defaults").count() == 1


def test_a_province_administrator_adds_and_retires_a_topic(world):
    from gandan.people.models import Role
    from gandan.people.testing import make_user

    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    topic = setting_services.topic_save(actor=admin, province=world.province, code="", name_vi="Phòng chống thiên tai")
    assert topic.code == "phong-chong-thien-tai"
    setting_services.topic_save(actor=admin, province=world.province, code="security", name_vi="An ninh",
                                is_active=False)
    assert "security" not in {t.code for t in queries.topics_for(world.province.pk)}
    assert "phong-chong-thien-tai" in {t.code for t in queries.topics_for(world.province.pk)}


def test_a_commune_leader_cannot_change_the_province_checklist_or_quotas(world):
    with pytest.raises(PermissionDenied):
        setting_services.topic_save(actor=world.commune_a_leader, province=world.province, code="", name_vi="X")
    with pytest.raises(PermissionDenied):
        setting_services.quota_save(actor=world.commune_a_leader, province=world.province, level="commune",
                                    field_days=1, visits=1, meeting_pct=0)


def test_a_quota_out_of_range_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as error:
        setting_services.quota_save(actor=world.province_committee, province=world.province, level="commune",
                                    field_days=40, visits=1, meeting_pct=120)
    assert set(error.value.message_dict) == {"field_days", "meeting_pct"}
    assert not Quota.objects.exists()


def test_a_month_lock_is_idempotent_audited_and_for_administrators_only(world):
    from gandan.people.models import Role
    from gandan.people.testing import make_user

    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    month = dt.date(2025, 9, 17)
    setting_services.month_lock(actor=admin, province=world.province, month=month)
    setting_services.month_lock(actor=admin, province=world.province, month=month)
    assert MonthLock.objects.get().month == dt.date(2025, 9, 1)
    assert queries.is_month_locked(world.province.pk, dt.date(2025, 9, 30))
    assert not queries.is_month_locked(world.province.pk, dt.date(2025, 10, 1))
    assert AuditEvent.objects.filter(action="month.lock").count() == 1
    with pytest.raises(PermissionDenied):
        setting_services.month_lock(actor=world.commune_b_admin, province=world.province, month=month)
    setting_services.month_unlock(actor=admin, province=world.province, month=month)
    assert not MonthLock.objects.exists()


def test_the_evaluation_can_lock_a_month_as_the_system(world):
    setting_services.month_lock(actor=None, province=world.province, month=dt.date(2025, 8, 1))
    assert queries.is_month_locked(world.province.pk, dt.date(2025, 8, 15))


# -- hooks ------------------------------------------------------------------------------------------
def test_a_merge_moves_meetings_not_yet_held_and_keeps_past_visits_visible(world, client_as):
    from gandan.org.testing import make_unit

    old = make_unit("village", "Thôn Cũ", world.commune_a)
    visit = make_visit(world, units=[old])
    upcoming = Meeting.objects.create(province=world.province, unit=old, kind="committee",
                                      date=timezone.localdate() + dt.timedelta(days=3))
    unit_merge(actor=None, sources=[old], target=world.village_a1, effective=timezone.localdate())

    upcoming.refresh_from_db()
    assert upcoming.unit == world.village_a1
    from gandan.people.models import Role
    from gandan.people.testing import make_user

    village_leader = make_user("village_leader", role=Role.LEADER, unit=world.village_a1)
    assert client_as(village_leader).get(f"/api/v1/fieldwork/visits/{visit.pk}").status_code == 200


def test_a_departing_cadre_stops_being_secretary_of_later_meetings(world):
    later = Meeting.objects.create(province=world.province, unit=world.commune_a, kind="committee",
                                   date=timezone.localdate() + dt.timedelta(days=10), secretary=world.cadre_a)
    cadre_leave(actor=None, cadre=world.cadre_a, on=timezone.localdate())
    later.refresh_from_db()
    assert later.secretary is None
