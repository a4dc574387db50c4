"""The capture form on a phone without signal: the page comes from the service worker, two visits
wait in IndexedDB, and when the network returns they are sent exactly once — a replay of the same
records does not make a third. Then a leader finds them on the list, the calendar and the visit page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.fieldwork.models import Visit, VisitHousehold, VisitPhoto
from gandan.fieldwork.testing import PNG, make_visit
from gandan.people.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def choose_place(page, search: str, label: str) -> None:
    page.get_by_placeholder("Tìm thôn, xã hoặc chủ hộ (không cần dấu)").fill(search)
    page.get_by_test_id("place-list").get_by_role("button", name=label).click()
    page.get_by_test_id("chosen").get_by_text(label).wait_for()


def pending(page) -> str:
    return page.get_by_test_id("pending-count").inner_text()


def test_two_visits_recorded_offline_sync_once_when_the_network_returns(page, artifacts, tmp_path):
    build_world()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "commune_a_cadre")
    page.goto("/fieldwork/visits/new/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which has cached the form
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.get_by_test_id("place-list").get_by_role("button", name="Thôn Nậm Lìn · Xã Nghĩa Thuận").wait_for()

    page.goto("/fieldwork/visits/")  # another page of the scope, online: it must not replace the cached form

    page.context.set_offline(True)
    page.goto("/fieldwork/visits/new/")  # without a network: the form from the cache, the places from the phone
    page.get_by_role("heading", name="Ghi lần đi cơ sở").wait_for()
    page.get_by_test_id("net-status").filter(has_text="Mất mạng").wait_for()

    page.locator("label[for=kind-field_day]").click()
    choose_place(page, "nam lin", "Thôn Nậm Lìn · Xã Nghĩa Thuận")
    page.locator("details.topic").first.click()
    page.get_by_label("Tình hình an ninh, trật tự").fill("Ổn định, tổ an ninh tuần tra đều.")
    page.get_by_label("Ghi chú").fill("Cùng bà con làm 200 m đường bê tông.")
    photo = tmp_path / "duong.png"
    photo.write_bytes(PNG)
    page.locator("#visit-photos").set_input_files(str(photo))
    page.get_by_role("button", name="Lưu").click()
    page.get_by_test_id("flash").filter(has_text="Đã lưu trên máy").wait_for()
    page.wait_for_function("() => document.getElementById('pending-count').textContent === '1'")

    page.locator("label[for=kind-household_visit]").click()
    choose_place(page, "vang seo", "Hộ Vàng Seo Sử")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_function("() => document.getElementById('pending-count').textContent === '2'")
    assert page.get_by_test_id("pending-item").count() == 2
    page.screenshot(path=str(artifacts / "fieldwork-offline-pending.png"), full_page=True)
    assert Visit.objects.count() == 0
    bodies = page.evaluate("FieldworkQueue.all().then(rs => rs.map(r => r.body))")

    page.context.set_offline(False)  # the "online" event starts the sync
    page.wait_for_function("() => document.getElementById('pending-count').textContent === '0'", timeout=20_000)
    page.get_by_test_id("flash").filter(has_text="Đã gửi").wait_for()
    page.screenshot(path=str(artifacts / "fieldwork-offline-synced.png"), full_page=True)

    assert Visit.objects.count() == 2
    field_day = Visit.objects.get(kind="field_day")
    assert field_day.findings == {"security": "Ổn định, tổ an ninh tuần tra đều."}
    assert VisitPhoto.objects.get().visit == field_day
    assert VisitHousehold.objects.get().visit.kind == "household_visit"

    statuses = page.evaluate("""bodies => Promise.all(bodies.map(body => fetch('/api/v1/fieldwork/visits', {
        method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json',
                  'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]},
        body: JSON.stringify(body)}).then(r => r.status)))""", bodies)
    assert statuses == [200, 200]
    assert Visit.objects.count() == 2


def test_a_leader_reviews_visits_on_the_list_calendar_and_visit_page(page, artifacts):
    world = build_world()
    world.village_a1.latitude, world.village_a1.longitude = 22.80, 105.00
    world.village_a1.save()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    make_visit(world, date=yesterday, kind="field_day", notes="Cùng dân sửa đường.")
    far = make_visit(world, date=yesterday, latitude=21.0, longitude=105.8, accuracy_m=10)
    log_in(page, "commune_a_leader")

    page.goto("/fieldwork/visits/")
    assert page.get_by_test_id("visit-row").count() == 2
    page.get_by_label("Chỉ lần cần xem lại").check()
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**flagged=on**")
    assert page.get_by_test_id("visit-row").count() == 1
    page.screenshot(path=str(artifacts / "fieldwork-list-flagged.png"), full_page=True)

    page.goto(f"/fieldwork/calendar/?month={yesterday:%Y-%m}")  # yesterday may lie in last month
    page.get_by_test_id("day-count").first.wait_for()
    page.screenshot(path=str(artifacts / "fieldwork-calendar.png"), full_page=True)

    page.goto(f"/fieldwork/visits/{far.pk}/")
    assert page.locator("[data-flag=gps_far]").is_visible()
    page.screenshot(path=str(artifacts / "fieldwork-visit.png"), full_page=True)
