"""The merge pages: an administrator lists the merges of their units, schedules one (a later date waits,
today or a past one applies at once after a confirmation), is refused with a sentence beside the field
it is about, and cancels a scheduled one with a reason; the unit's page says what will happen or has
happened. Outside the administrator's scope every unit and merge answers like a missing one, logged."""

from __future__ import annotations

import datetime as dt

import pytest

from gandan.core.models import AuditEvent
from gandan.org.models import AdminUnit, MergeStatus, UnitMerge
from gandan.org.services import unit_merge
from gandan.org.testing import make_unit
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN), tick=False)


@pytest.fixture
def admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


def _post(client, world, sources, target, date, **extra):
    data = {"sources": [s.pk for s in sources], "target": target.pk if target else "", "effective": date,
            "area": world.province.pk, **extra}
    return client.post("/units/merges/new/", data)


def _denials(caplog):
    return [r for r in caplog.records if r.name == "gandan.denials"]


def test_an_administrator_schedules_a_merge_and_the_pages_say_so(world, admin, client_as):
    client = client_as(admin)
    page = client.get(f"/units/merges/new/?area={world.province.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.commune_a.name in html and world.commune_b.name in html and world.other_commune.name not in html
    response = _post(client, world, [world.commune_b], world.commune_a, "2026-04-01")
    assert response.status_code == 302 and response["Location"] == "/units/merges/"
    merge = UnitMerge.objects.get()
    assert (merge.status, merge.effective, merge.requested_by_id) == (MergeStatus.SCHEDULED, dt.date(2026, 4, 1),
                                                                      admin.pk)
    assert AdminUnit.objects.get(pk=world.commune_b.pk).valid_to is None
    listing = client.get("/units/merges/?status=scheduled").content.decode()
    assert world.commune_b.name in listing and "01/04/2026" in listing
    assert f"/units/merges/{merge.pk}/cancel/" in listing
    unit_page = client.get(f"/units/{world.commune_b.pk}/").content.decode()
    assert "Sẽ sáp nhập vào" in unit_page and "ngày 01/04/2026" in unit_page
    assert f'href="/units/{world.commune_a.pk}/"' in unit_page


def test_a_date_that_has_come_applies_at_once_after_a_confirmation(world, admin, client_as):
    client = client_as(admin)
    refused = _post(client, world, [world.commune_b], world.commune_a, "10/03/2026")
    assert refused.status_code == 400 and 'data-field="confirm_now"' in refused.content.decode()
    assert not UnitMerge.objects.exists()
    done = _post(client, world, [world.commune_b], world.commune_a, "10/03/2026", confirm_now="1")
    assert done.status_code == 302
    b = AdminUnit.objects.get(pk=world.commune_b.pk)
    assert b.valid_to == TODAY and b.successor_id == world.commune_a.pk
    assert UnitMerge.objects.get().status == MergeStatus.APPLIED
    assert AuditEvent.objects.filter(action="unit.merge", actor=admin).count() == 1
    page = client.get(f"/units/{b.pk}/").content.decode()
    assert "Đã sáp nhập vào" in page and f'href="/units/{world.commune_a.pk}/"' in page and "10/03/2026" in page


def _field_error(response, field: str) -> str:
    html = response.content.decode()
    assert response.status_code == 400, html
    marker = f'data-field="{field}">'
    assert marker in html, html
    return html.split(marker, 1)[1].split("</div>", 1)[0]


def test_refusals_name_their_field(world, admin, client_as):
    client = client_as(admin)
    assert "chính nó" in _field_error(_post(client, world, [world.commune_a], world.commune_a, "2026-04-01"),
                                      "target")
    assert "ít nhất một" in _field_error(_post(client, world, [], world.commune_a, "2026-04-01"), "sources")
    assert "đơn vị nhận" in _field_error(_post(client, world, [world.commune_b], None, "2026-04-01"), "target")
    assert "dd/mm/yyyy" in _field_error(_post(client, world, [world.commune_b], world.commune_a, "31/02/2026"),
                                        "effective")
    assert "khác cấp" in _field_error(_post(client, world, [world.village_b1], world.commune_a, "2026-04-01"),
                                      "target")
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 5, 1))
    assert "đã có lịch" in _field_error(_post(client, world, [world.commune_b], world.commune_a, "2026-04-01"),
                                        "sources")
    third = make_unit("commune", "Xã Thứ Ba", world.province)
    unit_merge(actor=None, sources=[third], target=world.commune_a, effective=dt.date(2026, 3, 1))
    assert "không còn hiệu lực" in _field_error(_post(client, world, [world.commune_a], third, "2026-04-01"),
                                                "target")
    assert UnitMerge.objects.filter(status=MergeStatus.SCHEDULED).count() == 1


def test_units_outside_the_administrators_scope_are_refused_as_missing_and_logged(world, admin, client_as, caplog):
    # a commune administrator sees commune B but does not administer merging it (its province decides)
    commune_admin = world.commune_b_admin
    response = client_as(commune_admin).post("/units/merges/new/", {
        "sources": [world.commune_b.pk], "target": world.commune_a.pk, "effective": "2026-04-01"})
    assert "Không tìm thấy đơn vị" in _field_error(response, "target")  # commune A: not even visible
    assert _denials(caplog)
    caplog.clear()
    # another province's commune, by id and by code
    assert "Không tìm thấy" in _field_error(_post(client_as(admin), world, [world.commune_b], world.other_commune,
                                                  "2026-04-01"), "target")
    assert _denials(caplog)
    caplog.clear()
    by_code = _post(client_as(admin), world, [world.commune_b], None, "2026-04-01",
                    target_code=world.other_commune.code)
    assert world.other_commune.code in _field_error(by_code, "target") and _denials(caplog)
    assert not UnitMerge.objects.exists()
    # no unit-admin grant at all: the pages do not exist
    assert client_as(world.commune_a_leader).get("/units/merges/").status_code == 404
    assert client_as(world.commune_a_leader).get("/units/merges/new/").status_code == 404


def test_a_commune_administrator_merges_villages_of_their_commune(world, client_as):
    client = client_as(world.commune_b_admin)
    extra = make_unit("village", "Thôn Mới", world.commune_b)
    page = client.get(f"/units/merges/new/?area={world.commune_b.pk}").content.decode()
    assert extra.name in page and world.village_b1.name in page
    response = client.post("/units/merges/new/", {"sources": [extra.pk], "target": world.village_b1.pk,
                                                  "effective": "2026-04-01", "area": world.commune_b.pk})
    assert response.status_code == 302
    assert UnitMerge.objects.get().source_id == extra.pk


def test_across_provinces_takes_an_administrator_of_both(world, admin, client_as):
    from gandan.people.models import RoleGrant

    RoleGrant.objects.create(user=admin, role=Role.UNIT_ADMIN, unit=world.other_province)
    roots = client_as(admin).get("/units/merges/new/").content.decode()
    assert world.province.name in roots and world.other_province.name in roots
    response = _post(client_as(admin), world, [world.commune_b], None, "2026-04-01",
                     target_code=world.other_commune.code)
    assert response.status_code == 302
    assert UnitMerge.objects.get().target_id == world.other_commune.pk


def test_a_district_ends_into_its_province(world, admin, client_as):
    district = make_unit("district", "Huyện Hàm Yên", world.province)
    commune = make_unit("commune", "Xã Thái Sơn", district)
    page = client_as(admin).get(f"/units/merges/new/?area={world.province.pk}").content.decode()
    assert "kết thúc huyện" in page
    response = _post(client_as(admin), world, [district], world.province, "2025-07-01", confirm_now="1")
    assert response.status_code == 302
    district = AdminUnit.objects.get(pk=district.pk)
    assert district.valid_to == dt.date(2025, 7, 1)
    assert AdminUnit.objects.get(pk=commune.pk).parent_id == world.province.pk
    assert district not in AdminUnit.objects.filter(parent=world.province).current()


def test_cancelling_a_scheduled_merge_needs_a_reason_and_is_audited(world, admin, client_as, caplog):
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 4, 1))
    merge = UnitMerge.objects.get()
    url = f"/units/merges/{merge.pk}/cancel/"
    client = client_as(admin)
    assert client.get(url).status_code == 200
    assert "lý do" in _field_error(client.post(url, {"reason": "  "}), "reason")
    assert UnitMerge.objects.get().status == MergeStatus.SCHEDULED
    assert client.post(url, {"reason": "Chờ nghị quyết của Hội đồng nhân dân tỉnh"}).status_code == 302
    merge.refresh_from_db()
    assert merge.status == MergeStatus.CANCELLED and merge.cancelled_by_id == admin.pk
    assert merge.cancel_reason.startswith("Chờ nghị quyết")
    event = AuditEvent.objects.get(action="unit.merge_cancel")
    assert event.after["reason"] == merge.cancel_reason and event.actor_id == admin.pk
    listing = client.get("/units/merges/?status=cancelled").content.decode()
    assert "Chờ nghị quyết" in listing
    assert "Sẽ sáp nhập" not in client.get(f"/units/{world.commune_b.pk}/").content.decode()
    # outsiders: as missing, logged; nothing changes
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=dt.date(2026, 4, 2))
    again = UnitMerge.objects.get(status=MergeStatus.SCHEDULED)
    caplog.clear()
    for outsider in (world.commune_b_admin, world.other_province_leader):
        response = client_as(outsider).post(f"/units/merges/{again.pk}/cancel/", {"reason": "thử"})
        assert response.status_code == 404
    assert _denials(caplog)
    assert UnitMerge.objects.get(pk=again.pk).status == MergeStatus.SCHEDULED
