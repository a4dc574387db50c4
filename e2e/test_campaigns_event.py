"""The organiser records a campaign event on a phone: picks the cadres present from the agency's
people, counts the citizens, gives the outputs in their units; the event and its field-day visits
are stored once, and the campaign's summary shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.campaigns.models import CampaignEvent
from gandan.campaigns.testing import make_campaign
from gandan.fieldwork.models import Visit, VisitKind
from gandan.people.testing import PASSWORD, build_world, make_cadre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def test_the_organiser_records_an_event_on_a_phone(page, artifacts):
    world = build_world()
    second = make_cadre(world.agency_a, "Hoàng Thị Lan", position="Chủ tịch Hội LHPN xã")
    make_cadre(world.agency_a, "Ma Văn Kiên", position="Công chức Địa chính")
    campaign = make_campaign(world, starts_on=timezone.localdate() - dt.timedelta(days=60))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "commune_a_cadre")
    page.goto("/campaigns/")
    page.get_by_test_id("record-event").first.click()
    page.get_by_role("heading", name="Ghi đợt").wait_for()
    page.get_by_label("Nơi tổ chức").select_option(label="— Thôn Nậm Lìn")
    page.get_by_label("Sân Tiến Phúc — Công chức Văn phòng - Thống kê").check()
    page.get_by_label("Hoàng Thị Lan — Chủ tịch Hội LHPN xã").check()
    page.get_by_label("Tổng lượt cán bộ tham gia").fill("6")
    page.get_by_label("Lượt người dân tham gia").fill("45")
    page.get_by_label("Đường giao thông được tu sửa, khơi thông cống rãnh (km)").fill("1.5")
    page.get_by_label("Ruộng bậc thang được khai hoang (ha)").fill("0.4")
    page.get_by_label("Ghi chú").fill("Phát quang đường vào bản, khơi thông rãnh.")
    page.screenshot(path=str(artifacts / "campaign-event-form-phone.png"), full_page=True)
    page.get_by_test_id("save-event").click()
    page.get_by_test_id("event-title").wait_for()
    assert page.get_by_test_id("citizens").inner_text().startswith("45")
    page.screenshot(path=str(artifacts / "campaign-event-phone.png"), full_page=True)

    event = CampaignEvent.objects.get()
    assert (event.campaign_id, event.unit_id, event.citizens, event.cadre_participations) == (
        campaign.pk, world.village_a1.pk, 45, 6)
    visits = Visit.objects.filter(kind=VisitKind.FIELD_DAY, date=event.date)
    assert sorted(visits.values_list("cadre_id", flat=True)) == sorted([world.cadre_a.pk, second.pk])

    page.goto(f"/campaigns/{campaign.pk}/")
    assert page.get_by_test_id("participations").inner_text() == "6"
    page.get_by_test_id("outputs").get_by_text("km").wait_for()
    page.screenshot(path=str(artifacts / "campaign-summary-phone.png"), full_page=True)
