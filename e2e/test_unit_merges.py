"""A province administrator merges communes in the browser: schedules one, is refused with the reason beside
the field, sees "will merge into … on …" on the unit's page, cancels with a reason, then merges at once and
sees "merged into …" with its link; on a desktop and on a phone (390×844)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gandan.org.models import AdminUnit, MergeStatus, UnitMerge
from gandan.people.models import Role
from gandan.people.testing import build_world, make_user

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page, world, source: AdminUnit, target: AdminUnit, day: dt.date) -> None:
    page.goto(f"/units/merges/new/?area={world.province.pk}")
    page.locator(f"#s-{source.pk}").check()
    page.locator("#m-target").select_option(str(target.pk))
    page.get_by_label("Ngày có hiệu lực", exact=True).fill(f"{day:%d/%m/%Y}")


def test_an_administrator_schedules_cancels_and_applies_a_merge(page, artifacts):
    page.set_default_timeout(60_000)  # a busy machine: the first page compiles the templates
    world = build_world()
    make_user("quantri.tinh", role=Role.UNIT_ADMIN, unit=world.province)
    today = timezone.localdate()
    later = today + dt.timedelta(days=30)
    log_in(page, "quantri.tinh")

    page.goto("/units/")
    page.get_by_role("link", name="Sáp nhập đơn vị").click()
    page.get_by_test_id("merge-new").click()
    page.locator("details summary").click()
    page.locator("details").get_by_role("link", name=world.province.name).click()  # the communes of the province
    assert page.locator(f"#s-{world.commune_b.pk}").is_visible()

    # a refusal says why beside the field it is about
    _fill(page, world, world.commune_b, world.commune_b, later)
    page.get_by_role("button", name="Sáp nhập", exact=True).click()
    error = page.locator('[data-field="target"]')
    assert "chính nó" in error.inner_text() and error.is_visible()
    page.screenshot(path=str(artifacts / "merge-refused.png"), full_page=True)

    _fill(page, world, world.commune_b, world.commune_a, later)
    page.screenshot(path=str(artifacts / "merge-form.png"), full_page=True)
    page.get_by_role("button", name="Sáp nhập", exact=True).click()
    page.wait_for_url("**/units/merges/")
    assert "Đã lên lịch" in page.locator(".alert-success").inner_text()
    page.screenshot(path=str(artifacts / "merge-list.png"), full_page=True)
    merge = UnitMerge.objects.get()
    assert merge.status == MergeStatus.SCHEDULED and merge.effective == later

    page.goto(f"/units/{world.commune_b.pk}/")
    scheduled = page.get_by_test_id("unit-merge-scheduled").inner_text()
    assert "Sẽ sáp nhập vào" in scheduled and f"{later:%d/%m/%Y}" in scheduled
    page.screenshot(path=str(artifacts / "merge-unit-scheduled.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/units/merges/")
    page.screenshot(path=str(artifacts / "merge-list-phone.png"), full_page=True)
    page.get_by_role("link", name="Hủy lịch").click()
    page.get_by_role("button", name="Hủy lịch sáp nhập").click()  # no reason: refused beside the field
    assert page.locator('[data-field="reason"]').is_visible() or page.locator("#c-reason:invalid").count() == 1
    page.get_by_label("Lý do hủy").fill("Chờ nghị quyết của Hội đồng nhân dân tỉnh")
    page.screenshot(path=str(artifacts / "merge-cancel-phone.png"), full_page=True)
    page.get_by_role("button", name="Hủy lịch sáp nhập").click()
    page.wait_for_url("**/units/merges/")
    merge.refresh_from_db()
    assert merge.status == MergeStatus.CANCELLED

    # today: at once, after the confirmation
    _fill(page, world, world.commune_b, world.commune_a, today)
    page.get_by_role("button", name="Sáp nhập", exact=True).click()
    assert page.locator('[data-field="confirm_now"]').is_visible()
    page.screenshot(path=str(artifacts / "merge-confirm-phone.png"), full_page=True)
    page.get_by_label("Ngày có hiệu lực đã đến").check()
    page.get_by_role("button", name="Sáp nhập", exact=True).click()
    page.wait_for_url("**/units/merges/")
    assert AdminUnit.objects.get(pk=world.commune_b.pk).successor_id == world.commune_a.pk

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/units/{world.commune_b.pk}/")
    merged = page.get_by_test_id("unit-merged")
    assert "Đã sáp nhập vào" in merged.inner_text()
    merged.get_by_role("link", name=world.commune_a.name).click()
    page.wait_for_url(f"**/units/{world.commune_a.pk}/")
    page.screenshot(path=str(artifacts / "merge-target-unit.png"))
