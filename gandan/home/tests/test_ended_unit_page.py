"""An ended (merged) unit's page shows its history up to its last day — what was done there, labelled with
its end day and the unit it merged into — and none of today's work: no "this month" figures (always nought
at a unit that takes no work) and no link that would create work at it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from gandan.fieldwork.testing import make_visit
from gandan.org.services import unit_merge
from gandan.people.models import Role, RoleGrant
from gandan.petitions import services
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))
MERGE_DAY = dt.date(2026, 3, 15)


def _at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False)


def _history_of_commune_b(world) -> None:
    """Commune B (S): visits to its village in February and March, a concern answered and rated satisfied,
    another left open; then merged into commune A on 15/03/2026."""
    user = world.commune_b_admin
    RoleGrant.objects.create(user=user, role=Role.CADRE, unit=world.commune_b)  # a handler of B's concerns
    for day in (dt.date(2026, 2, 10), dt.date(2026, 2, 20), dt.date(2026, 3, 2)):
        with _at(day):
            make_visit(world, actor=user, units=[world.village_b1], date=day)
    with _at(dt.date(2026, 3, 2)):
        closed = services.petition_accept(actor=user, petition=receive(world, unit=world.village_b1, actor=user))
        closed = services.petition_answer(actor=user, petition=closed, text="Đã sửa xong.")
        pin = services.petition_pin_issue(actor=user, petition=closed).pin
        services.petition_rate(actor=None, petition=closed, satisfied=True, pin=pin)
        receive(world, unit=world.village_b1, actor=user, text="Mương thoát nước bị tắc, nước tràn vào nhà dân.")
    with _at(MERGE_DAY):
        unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)


def _figures(page: str, key: str) -> list[tuple[str, str]]:
    block = page.split(f'data-testid="block-{key}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="stat d-block">([^<]*)</span><span class="small text-muted">([^<]*)</span>', block)


def test_an_ended_unit_shows_its_history_to_its_last_day_and_no_work_of_today(world, client_as):
    _history_of_commune_b(world)
    s, t = world.commune_b, world.commune_a
    with _at(dt.date(2026, 4, 20)):
        response = client_as(world.commune_b_admin).get(f"/units/{s.pk}/")  # their grant followed S into T
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("unit-ended", "unit-history-concerns", "unit-history-fieldwork"):
        assert f'data-testid="block-{key}"' in page, key
    for key in ("unit-concerns", "unit-fieldwork", "coverage"):  # today's blocks
        assert f'data-testid="block-{key}"' not in page, key
    work = page.split('data-testid="unit-work"', 1)[1].split('role="tablist"', 1)[0]
    assert "04/2026" not in work and "tháng này" not in work  # nothing of this month
    assert "Phản ánh, kiến nghị đến ngày 14/03/2026" in page and "Đi cơ sở đến ngày 14/03/2026" in page
    assert f'href="/units/{t.pk}/"' in page and "Từ ngày 15/03/2026 việc mới ghi tại Xã Nghĩa Thuận" in page
    assert _figures(page, "unit-history-fieldwork") == [("1", "lần đi cơ sở tháng cuối (03/2026)"),
                                                        ("3", "lần đi cơ sở cả thời gian")]
    assert _figures(page, "unit-history-concerns") == [
        ("2", "phản ánh tại địa bàn"), ("1", "đã kết thúc"), ("100,0%", "giải quyết đúng hạn"),
        ("100,0%", "người dân hài lòng")]
    # the present counts (households, cadres: all moved on) give way to a note saying so
    assert 'data-testid="unit-history-note"' in page
    # every link about S reads: its lists and rates up to its last day, and the page itself
    links = set(re.findall(r'href="([^"]*)"', page))
    about_s = {link for link in links if re.search(rf"(unit={s.pk}\b|/{s.pk}/)", link)}
    reads = ("/units/", "/petitions/list/", "/petitions/rates/", "/fieldwork/visits/")
    assert about_s and all(link.split("?")[0].startswith(reads) for link in about_s), about_s
    for action in ("unit-merge-children", "/units/merges/new", "/fieldwork/capture/", "/assignments/coverage/"):
        assert action not in page, action


def test_a_current_unit_still_shows_this_month(world, client_as):
    _history_of_commune_b(world)
    with _at(dt.date(2026, 4, 20)):
        page = client_as(world.commune_a_leader).get(f"/units/{world.commune_a.pk}/").content.decode()
    assert 'data-testid="block-unit-fieldwork"' in page and "Đi cơ sở tháng 04/2026" in page
    assert 'data-testid="block-unit-ended"' not in page and 'data-testid="unit-history-note"' not in page
    assert "Xã Quản Bạ" in page  # formed of the merged commune
