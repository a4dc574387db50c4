"""POST /api/v1/fieldwork/visits: the idempotency contract a phone's sync relies on (201 new, 200 replay,
409 conflict, 423 locked month), out-of-order sync, a lost race on the unique constraint, validation,
and GET/PATCH with scoping."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from gandan.api.tests.helpers import MISSING_ID, assert_hidden, assert_unauthorized
from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.fieldwork import services
from gandan.fieldwork.inputs import VisitIn
from gandan.fieldwork.models import MonthLock, Visit, VisitHousehold, VisitUnit
from gandan.fieldwork.testing import body, make_visit

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/visits"
OUTSIDERS = ["commune_b_admin", "other_province_leader", "nobody"]


def post(client: Client, data: dict) -> object:
    return client.post(API, json.dumps(data), content_type="application/json")


def visit_audits() -> int:
    return AuditEvent.objects.filter(action="visit.record").count()


def test_a_new_visit_is_recorded_with_its_places_and_one_audit_row(world, bearer):
    data = body(world, household_ids=[world.household_a1.pk])

    response = post(bearer(world.commune_a_cadre), data)

    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    assert str(visit.client_uuid) == data["client_uuid"]
    assert visit.cadre == world.cadre_a and visit.province == world.province
    assert visit.findings == {"living": "Mùa màng tốt", "security": "Ổn định"}
    assert set(VisitUnit.objects.filter(visit=visit).values_list("unit_id", flat=True)) == {world.village_a1.pk}
    assert VisitHousehold.objects.get(visit=visit).household == world.household_a1
    assert response.json()["id"] == visit.pk
    assert response.json()["household_ids"] == [world.household_a1.pk]
    assert visit_audits() == 1
    assert verify_chain().ok


def test_the_same_uuid_and_body_again_returns_the_stored_visit_and_writes_nothing(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world)
    first = post(client, data)
    events = AuditEvent.objects.count()

    again = post(client, data)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_replay_that_differs_only_in_order_spaces_and_unicode_form_is_still_a_replay(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world, unit_ids=[world.village_a1.pk, world.village_a2.pk], notes="Họp dân thôn.")
    post(client, data)
    import unicodedata

    variant = {**data, "unit_ids": [world.village_a2.pk, world.village_a1.pk, world.village_a1.pk],
               "notes": "  " + unicodedata.normalize("NFD", "Họp dân thôn.") + "\r\n",
               "findings": {**data["findings"], "opinion": "   "}}

    assert post(client, variant).status_code == 200
    assert Visit.objects.count() == 1


def test_the_same_uuid_with_another_body_is_a_conflict(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world)
    post(client, data)

    response = post(client, {**data, "notes": "Nội dung khác"})

    assert response.status_code == 409
    assert "UUID" in response.json()["detail"]
    assert Visit.objects.get().notes == "Họp dân thôn về làm đường."


def test_another_cadre_reusing_a_uuid_gets_a_conflict_not_the_visit(world, bearer):
    data = body(world)
    post(bearer(world.commune_a_cadre), data)

    response = post(bearer(world.commune_b_admin), {**data, "unit_ids": [world.village_b1.pk]})

    assert response.status_code == 409
    assert "notes" not in response.json()


@pytest.mark.any_day
def test_an_earlier_visit_arriving_later_is_recorded_with_its_delay(world, bearer):
    client = bearer(world.commune_a_cadre)
    today = timezone.localdate()
    recent = post(client, body(world, date=(today - dt.timedelta(days=1)).isoformat()))
    older = post(client, body(world, date=(today - dt.timedelta(days=20)).isoformat()))

    assert recent.status_code == older.status_code == 201
    assert list(Visit.objects.order_by("date").values_list("delay_days", flat=True)) == [20, 1]
    assert older.json()["flags"] == ["late"]


@pytest.mark.any_day
def test_a_visit_in_a_locked_month_is_refused(world, bearer):
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    MonthLock.objects.create(province=world.province, month=day.replace(day=1))

    response = post(bearer(world.commune_a_cadre), body(world, date=day.isoformat()))

    assert response.status_code == 423
    assert f"{day:%m/%Y}" in response.json()["detail"]
    assert not Visit.objects.exists()


def blind_to_the_stored_visit(monkeypatch):
    """The write context read before the other submission committed: it sees no stored visit."""
    real = services.visit_write_context

    def before_the_other_commit(**kwargs):
        context = real(**kwargs)
        context.existing = None
        return context

    monkeypatch.setattr(services, "visit_write_context", before_the_other_commit)


def test_a_lost_race_on_the_unique_constraint_is_answered_as_a_replay(world, monkeypatch):
    """Two phones (or two workers) submit the same record at once: the second INSERT hits the unique
    constraint; it must answer with the first one's visit, not an error and not a duplicate."""
    data = VisitIn(client_uuid=uuid.uuid4(), date=timezone.localdate(), kind="field_day",
                   unit_ids=[world.village_a1.pk])
    first, created = services.visit_record(actor=world.commune_a_cadre, data=data)
    blind_to_the_stored_visit(monkeypatch)
    second, created_again = services.visit_record(actor=world.commune_a_cadre, data=data)

    assert created and not created_again
    assert second.pk == first.pk
    assert Visit.objects.count() == 1


def test_a_lost_race_with_another_body_is_a_conflict(world, monkeypatch):
    key = uuid.uuid4()
    services.visit_record(actor=world.commune_a_cadre, data=VisitIn(
        client_uuid=key, date=timezone.localdate(), kind="field_day", unit_ids=[world.village_a1.pk]))
    blind_to_the_stored_visit(monkeypatch)
    with pytest.raises(services.VisitConflict):
        services.visit_record(actor=world.commune_a_cadre, data=VisitIn(
            client_uuid=key, date=timezone.localdate(), kind="other", unit_ids=[world.village_a1.pk]))
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(("override", "field"), [
    ({"unit_ids": [], "household_ids": []}, "units"),
    ({"kind": "picnic"}, "kind"),
    ({"date": "2999-01-01"}, "date"),
    ({"findings": {"weather": "nắng"}}, "findings"),
    ({"latitude": 22.1}, "gps"),
    ({"concerns": [{"text": "  "}]}, "concerns"),
])
def test_bad_input_names_its_field_and_writes_nothing(world, bearer, override, field):
    response = post(bearer(world.commune_a_cadre), body(world, **override))

    assert response.status_code == 422, response.content
    assert field in {e["loc"][-1] for e in response.json()["detail"]}
    assert not Visit.objects.exists()
    assert visit_audits() == 0


def test_a_unit_outside_the_scope_is_refused_like_a_missing_one(world, bearer):
    client = bearer(world.commune_a_cadre)
    outside = post(client, body(world, unit_ids=[world.village_b1.pk])).json()["detail"][0]["msg"]
    missing = post(client, body(world, unit_ids=[MISSING_ID])).json()["detail"][0]["msg"]

    assert outside.replace(str(world.village_b1.pk), "#") == missing.replace(str(MISSING_ID), "#")
    assert not Visit.objects.exists()


def test_a_user_without_a_cadre_cannot_record(world, bearer):
    response = post(bearer(world.commune_a_leader), body(world))
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_a_leader_may_record_for_a_cadre_of_their_unit(world, bearer):
    response = post(bearer(world.commune_a_leader), body(world, cadre_id=world.cadre_a.pk))
    assert response.status_code == 201
    assert Visit.objects.get().cadre == world.cadre_a


def test_a_viewer_may_not_record_for_a_cadre(world, bearer):
    response = post(bearer(world.commune_a_viewer), body(world, cadre_id=world.cadre_a.pk))
    assert response.status_code == 403


def test_recording_needs_a_caller(world):
    assert_unauthorized(Client().post(API, json.dumps(body(world)), content_type="application/json"))


def test_a_session_post_without_csrf_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.commune_a_cadre)
    response = post(client, body(world))
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_gps_far_from_the_visited_unit_is_flagged_not_refused(world, bearer):
    world.village_a1.latitude, world.village_a1.longitude = 22.80, 105.00
    world.village_a1.save()
    response = post(bearer(world.commune_a_cadre), body(world, latitude=21.0, longitude=105.8, accuracy_m=12))

    assert response.status_code == 201
    assert response.json()["flags"] == ["gps_far"]
    assert Visit.objects.get().gps_distance_m > 100_000


# -- reading and editing ---------------------------------------------------------------------------
def test_visits_are_listed_with_filters(world, api_as):
    make_visit(world, kind="field_day")
    make_visit(world, date=timezone.localdate() - dt.timedelta(days=40))
    make_visit(world, actor=world.commune_b_admin, units=[world.village_b1])
    client = api_as(world.province_committee)

    assert client.get(API).json()["count"] == 3
    assert client.get(API, {"kind": "field_day"}).json()["count"] == 1
    assert client.get(API, {"unit": world.commune_b.pk}).json()["count"] == 1
    assert client.get(API, {"cadre": world.cadre_a.pk}).json()["count"] == 2
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert client.get(API, {"date_from": since}).json()["count"] == 2


def test_a_commune_sees_its_own_visits_and_visits_to_it_but_not_the_neighbours(world, api_as):
    ours = make_visit(world)
    theirs = make_visit(world, actor=world.commune_b_admin, units=[world.village_b1])
    client = api_as(world.commune_a_viewer)

    ids = {row["id"] for row in client.get(API).json()["items"]}

    assert ids == {ours.pk}
    assert_hidden(client, f"{API}/{theirs.pk}", f"{API}/{MISSING_ID}")


def test_a_province_cadres_visit_to_a_commune_is_seen_by_that_commune(world, api_as):
    visit = make_visit(world, actor=world.department_handler, units=[world.commune_a])
    assert api_as(world.commune_a_viewer).get(f"{API}/{visit.pk}").status_code == 200
    assert api_as(world.commune_b_admin).get(f"{API}/{visit.pk}").status_code == 404


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_a_visit_outside_the_scope_is_answered_as_missing(world, api_as, outsider):
    visit = make_visit(world)
    assert_hidden(api_as(getattr(world, outsider)), f"{API}/{visit.pk}", f"{API}/{MISSING_ID}")


def test_an_edit_after_submission_is_audited_with_before_and_after(world, api_as):
    visit = make_visit(world)
    response = api_as(world.commune_a_cadre).patch(
        f"{API}/{visit.pk}", json.dumps({"notes": "Bổ sung: đường trơn", "unit_ids": [world.village_a2.pk]}),
        content_type="application/json")

    assert response.status_code == 200, response.content
    visit.refresh_from_db()
    assert visit.notes == "Bổ sung: đường trơn"
    assert list(visit.unit_links.values_list("unit_id", flat=True)) == [world.village_a2.pk]
    event = AuditEvent.objects.get(action="visit.update")
    assert event.before["notes"] == "Họp dân thôn về làm đường." if event.before["notes"] else True
    assert event.before["units"] == [world.village_a1.pk] and event.after["units"] == [world.village_a2.pk]


def test_an_edit_keeps_the_replay_of_the_first_submission_a_replay(world, bearer):
    client = bearer(world.commune_a_cadre)
    data = body(world)
    visit_id = post(client, data).json()["id"]
    client.patch(f"{API}/{visit_id}", json.dumps({"notes": "Sửa sau"}), content_type="application/json")

    assert post(client, data).status_code == 200
    assert Visit.objects.count() == 1


def test_a_visit_in_a_locked_month_is_read_only(world, api_as):
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    visit = make_visit(world, date=day)
    MonthLock.objects.create(province=world.province, month=day.replace(day=1))

    response = api_as(world.commune_a_cadre).patch(f"{API}/{visit.pk}", json.dumps({"notes": "x"}),
                                                   content_type="application/json")

    assert response.status_code == 423
    visit.refresh_from_db()
    assert visit.notes == ""
    assert not AuditEvent.objects.filter(action="visit.update").exists()


def test_moving_a_visit_into_a_locked_month_is_refused(world, api_as):
    locked = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    MonthLock.objects.create(province=world.province, month=locked.replace(day=1))
    visit = make_visit(world, date=timezone.localdate())

    response = api_as(world.commune_a_cadre).patch(f"{API}/{visit.pk}", json.dumps({"date": locked.isoformat()}),
                                                   content_type="application/json")
    assert response.status_code == 423


def test_a_viewer_cannot_edit_a_visit(world, api_as):
    visit = make_visit(world)
    response = api_as(world.commune_a_viewer).patch(f"{API}/{visit.pk}", json.dumps({"notes": "x"}),
                                                    content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_outsider_editing_gets_not_found(world, api_as, outsider):
    visit = make_visit(world)
    response = api_as(getattr(world, outsider)).patch(f"{API}/{visit.pk}", json.dumps({"notes": "x"}),
                                                      content_type="application/json")
    assert response.status_code == 404
