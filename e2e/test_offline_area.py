"""A cadre's phone without signal: the bottom bar's pages that were opened online come from the
phone with the time they were kept; a page never opened says what can still be done; a concern
noted offline is sent once when the network returns, and a resend makes no second concern. When
somebody else signs in on the phone, the first cadre's kept pages are gone."""

from __future__ import annotations

import pytest

from gandan.assignments.testing import make_assignment
from gandan.people.testing import PASSWORD, build_world
from gandan.petitions.models import Petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def controlled(page) -> None:
    """Wait until the service worker has installed (forms fetched) and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_the_cadres_area_home_and_a_concern_work_offline(page, artifacts):
    world = build_world()
    make_assignment(world.cadre_a, unit=world.village_a1)
    page.set_viewport_size(PHONE)
    log_in(page, "commune_a_cadre")
    controlled(page)
    page.goto("/fieldwork/area/")
    page.get_by_test_id("my-units").get_by_text("Thôn Nậm Lìn").wait_for()
    page.goto("/")
    assert not page.get_by_test_id("offline-copy").is_visible()

    page.context.set_offline(True)
    page.goto("/fieldwork/area/")
    page.get_by_test_id("offline-copy").wait_for()  # the kept copy, saying when it was made
    page.get_by_test_id("my-units").get_by_text("Thôn Nậm Lìn").wait_for()
    page.screenshot(path=str(artifacts / "offline-area-phone.png"))
    page.goto("/")
    page.get_by_test_id("offline-copy").wait_for()
    page.goto("/fieldwork/calendar/")  # never opened: the offline page says what still works
    page.get_by_test_id("offline-page").wait_for()
    page.screenshot(path=str(artifacts / "offline-page-phone.png"))

    page.get_by_role("link", name="Ghi ý kiến của người dân").click()
    page.get_by_test_id("net-status").filter(has_text="Mất mạng").wait_for()
    page.get_by_placeholder("Tìm thôn, xã hoặc chủ hộ (không cần dấu)").fill("nam lin")
    page.get_by_test_id("place-list").get_by_role("button", name="Thôn Nậm Lìn · Xã Nghĩa Thuận").click()
    page.get_by_label("Nội dung ý kiến").fill("Đèn đường đầu thôn hỏng đã hai tuần, buổi tối đi lại nguy hiểm.")
    page.get_by_label("Lĩnh vực").select_option("infrastructure")
    page.get_by_label("Số điện thoại để báo kết quả").fill("0912000111")
    page.get_by_role("button", name="Lưu ý kiến").click()
    page.get_by_test_id("flash").filter(has_text="Đã lưu ý kiến trên máy").wait_for()
    page.screenshot(path=str(artifacts / "offline-concern-phone.png"))
    assert Petition.objects.count() == 0
    body = page.evaluate("FieldworkQueue.all().then(rs => rs[0].body)")

    page.context.set_offline(False)
    for _ in range(100):  # the "online" event sends it
        if page.evaluate("FieldworkQueue.count()") == 0:
            break
        page.wait_for_timeout(200)
    concern = Petition.objects.get()
    assert concern.unit == world.village_a1 and concern.field == "infrastructure"
    assert concern.citizen_phone == "0912000111" and concern.channel == "visit"
    status = page.evaluate("""body => fetch('/api/v1/petitions', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]},
        body: JSON.stringify(body)}).then(r => r.status)""", body)
    assert status in (200, 201) and Petition.objects.count() == 1  # the same concern, not a second

    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, "commune_a_leader")  # another user on the same phone
    page.context.set_offline(True)
    page.goto("/fieldwork/area/")
    page.get_by_test_id("offline-page").wait_for()  # the first cadre's copy is gone
