"""The dashboard drilled down two levels (province → commune → village) on a desktop (1366×900) and on a
phone (390×844), the period kept at each click, nothing scrolling sideways. Screenshots go to the
artifacts folder."""

from __future__ import annotations

import pytest

from gandan.people.testing import build_world
from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER, build_october

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("name", "viewport", "drill"), [
    ("desktop", {"width": 1366, "height": 900}, "drill"),
    ("phone", {"width": 390, "height": 844}, "drill-card"),
])
def test_the_province_committee_drills_down_two_levels(page, artifacts, name, viewport, drill):
    world = build_world()
    build_october(world)
    rebuild_month(OCTOBER)
    rebuild_month(OCTOBER.replace(month=9))
    page.set_viewport_size(viewport)
    log_in(page, "province_committee")
    page.goto("/reports/?kind=month&month=2026-10")
    assert page.get_by_test_id("dashboard-unit").inner_text() == world.province.name
    page.locator("canvas.report-chart").first.wait_for()
    assert page.get_by_test_id("figure-visits").inner_text() == "7"
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"reports-1-{name}-province.png"), full_page=True)

    page.get_by_test_id(drill).filter(has_text=world.commune_a.name).click()
    page.wait_for_url(f"**/reports/?unit={world.commune_a.pk}&period=2026-10")
    assert page.get_by_test_id("dashboard-unit").inner_text() == world.commune_a.name
    assert page.get_by_test_id("figure-concerns_received").inner_text() == "2"
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"reports-2-{name}-commune.png"), full_page=True)
    page.get_by_test_id("children").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"reports-2-{name}-commune-below.png"))

    page.get_by_test_id(drill).filter(has_text=world.village_a2.name).click()
    page.wait_for_url(f"**/reports/?unit={world.village_a2.pk}&period=2026-10")
    assert page.get_by_test_id("figure-place_visits").inner_text() == "3"
    page.get_by_test_id("leaf").wait_for()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"reports-3-{name}-village.png"), full_page=True)

    page.get_by_test_id("figure-place_visits").click()  # the rows behind the number
    page.wait_for_url("**/fieldwork/visits/?*")
    assert "date_from=2026-10-01" in page.url
