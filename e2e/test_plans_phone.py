"""The owner's phone flow (390×844): the commune cadre opens their plan, adds a task from the
catalogue, reports progress and marks a task the leader assigned done; the leader sees it waiting
for assessment and accepts it. Then every plans view at that size, the daily work log and what the
assessor sees of it. Screenshots go to the artifacts folder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.campaigns.testing import make_campaign
from gandan.people.testing import build_world
from gandan.plans.models import PlanSetting, Task, TaskStatus, WorkLogEntry
from gandan.plans.testing import make_item, plan_task

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_plans_reports_and_marks_done_on_a_phone(page, artifacts):
    world = build_world()
    make_item(world.agency_a, code="C02", name="Tuyên truyền, vận động nhân dân tại thôn", product_unit="buổi",
              weight="0.75", valid_from=timezone.localdate() - dt.timedelta(days=40))
    assigned = plan_task(world)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(page, "commune_a_cadre")
    page.locator(".bottom-bar").get_by_role("link", name="Kế hoạch").click()
    page.wait_for_url("**/plans/")
    assert page.get_by_test_id("task-card").count() == 1
    page.get_by_test_id("add-task").click()
    page.get_by_label("Tên nhiệm vụ").fill("Tuyên truyền phòng chống cháy rừng ở thôn Nậm Lìn")
    page.get_by_label("Nhiệm vụ trong danh mục").select_option(label="C02 Tuyên truyền, vận động nhân dân tại thôn")
    page.get_by_label("Chỉ tiêu").select_option("quantity")
    page.get_by_label("Số lượng cần đạt").fill("2")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    page.wait_for_url("**/plans/tasks/*/")
    assert page.get_by_test_id("task-status").inner_text() == "Đang làm"
    page.get_by_label("Số lượng đã làm đến nay").fill("1")
    page.get_by_label("Ghi chú").fill("Đã họp dân một buổi")
    page.get_by_role("button", name="Ghi tiến độ").click()
    page.locator(".alert-success").wait_for()
    page.screenshot(path=str(artifacts / "plans-1-phone-task.png"), full_page=True)

    page.goto(f"/plans/tasks/{assigned.pk}/")
    page.get_by_label("Ghi chú").fill("Đã rà soát xong, gửi kèm danh sách")
    page.get_by_test_id("mark-done").click()
    page.locator(".alert-success").wait_for()
    assert page.get_by_test_id("task-status").inner_text() == "Đã xong, chờ đánh giá"
    page.goto("/plans/?view=board")
    page.screenshot(path=str(artifacts / "plans-2-phone-board.png"), full_page=True)
    page.goto("/plans/")
    page.screenshot(path=str(artifacts / "plans-3-phone-list.png"), full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, "commune_a_leader")
    page.goto("/plans/awaiting/")
    page.get_by_test_id("awaiting-task").click()
    page.get_by_label("Đạt yêu cầu").check()
    page.get_by_role("button", name="Ghi đánh giá").click()
    page.wait_for_url("**/plans/awaiting/")
    assigned.refresh_from_db()
    assert assigned.status == TaskStatus.ACCEPTED
    assert Task.objects.get(title__startswith="Tuyên truyền").progress_quantity == 1


def no_sideways_scroll(page, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_every_plans_view_fits_a_phone_and_the_work_log_reaches_the_assessor(page, artifacts):
    """My plan (list, board), due, awaiting, the team, the catalogue, a plan, the task form with what it
    serves and the daily work log, each at 390 px without sideways scrolling; the leader sees on the
    task's page the day the owner logged beyond the normal hours."""
    world = build_world()
    PlanSetting.objects.create(agency=world.agency_a, work_log=True)
    today = timezone.localdate()
    make_item(world.agency_a, code="C02", name="Tuyên truyền, vận động nhân dân tại thôn", product_unit="buổi",
              weight="0.75", valid_from=today - dt.timedelta(days=40))
    campaign = make_campaign(world, starts_on=today - dt.timedelta(days=30))
    assigned = plan_task(world)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(page, "commune_a_cadre")
    page.goto("/plans/")
    page.locator(".plans-nav").get_by_role("link", name="Nhật ký công việc").click()
    page.wait_for_url("**/plans/log/")
    page.get_by_label("Số giờ").fill("9")
    page.get_by_label("Nhiệm vụ", exact=True).select_option(str(assigned.pk))
    page.get_by_label("Việc đã làm").fill("Rà soát hộ nghèo thôn Nậm Lìn cùng trưởng thôn")
    page.get_by_role("button", name="Ghi nhật ký").click()
    page.locator(".alert-success").wait_for()
    assert page.get_by_test_id("log-total").first.inner_text() == "9 giờ"
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "plans-4-phone-work-log.png"), full_page=True)

    page.goto("/plans/tasks/new/")
    page.get_by_label("Phục vụ phong trào").select_option(str(campaign.pk))
    no_sideways_scroll(page)
    page.get_by_test_id("task-links").screenshot(path=str(artifacts / "plans-5-phone-task-links.png"))
    for path in ("/plans/", "/plans/?view=board", "/plans/due/", "/plans/awaiting/", "/plans/catalogue/",
                 f"/plans/{assigned.plan_id}/", f"/plans/tasks/{assigned.pk}/"):
        page.goto(path)
        no_sideways_scroll(page)
    page.goto("/plans/catalogue/")
    page.screenshot(path=str(artifacts / "plans-6-phone-catalogue.png"), full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, "commune_a_leader")
    for path in ("/plans/team/", "/plans/due/", "/plans/awaiting/", f"/plans/{assigned.plan_id}/"):
        page.goto(path)
        no_sideways_scroll(page)
    page.goto("/plans/team/")
    assert page.get_by_test_id("team-cards").is_visible()
    page.screenshot(path=str(artifacts / "plans-7-phone-team.png"), full_page=True)
    page.goto(f"/plans/tasks/{assigned.pk}/")
    assert page.get_by_test_id("log-over-normal").is_visible()
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "plans-8-phone-task-with-log.png"), full_page=True)
    assert WorkLogEntry.objects.get().hours == 9
