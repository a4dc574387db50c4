"""A sheet's optimistic version: every change moves it by one, and a step sent with the version the
caller read before someone else's change is refused (409 through the API and the web screens: the page
drawn again with the current values and why), the first change kept; two browsers on one sheet, and a
leadership's step 3 drawn before an assessor's change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from gandan.core.concurrency import Stale
from gandan.core.models import AuditEvent
from gandan.evaluation import services
from gandan.evaluation.testing import assess, open_month, points, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import make_user
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"
AFTER = dt.date(2026, 4, 2)


def test_a_step_with_a_stale_version_is_refused_and_the_first_kept(world):
    sheet = sheet_of(open_month(world), world.cadre_a.pk)
    seen = sheet.version
    with on(AFTER):
        services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet, points=points(20), comment="Lần một",
                                   version=seen)
        with pytest.raises(Stale):
            services.sheet_self_assess(actor=world.commune_a_cadre, sheet=sheet, points=points(10),
                                       comment="Lần hai", version=seen)
        sheet.refresh_from_db()
        services.sheet_assess(actor=world.commune_a_leader, sheet=sheet, points=points(20), reasons={})
    sheet.refresh_from_db()
    assert (sheet.self_comment, sheet.version) == ("Lần một", seen + 2)


def test_the_api_answers_409_to_a_stale_step(world, api_as):
    sheet = sheet_of(open_month(world), world.cadre_a.pk)
    with on(AFTER):
        cadre = api_as(world.commune_a_cadre)
        seen = cadre.get(f"{API}/sheets/{sheet.pk}").json()["version"]
        first = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(20), "comment": "A", "version": seen},
                           content_type="application/json")
        late = cadre.post(f"{API}/sheets/{sheet.pk}/self", {"points": points(10), "comment": "B", "version": seen},
                          content_type="application/json")
        leader = api_as(world.commune_a_leader)
        stale = leader.post(f"{API}/sheets/{sheet.pk}/assess", {"points": points(20), "version": seen},
                            content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == seen + 1
    assert late.status_code == 409 and stale.status_code == 409
    sheet.refresh_from_db()
    assert sheet.self_comment == "A" and sheet.status == "self_assessed"


# -- two browsers on the web screens -------------------------------------------------------------------
def _browser(user) -> Client:
    """A browser of its own (its own session), signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def _version(page: str, name: str = "version") -> str:
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', page)
    assert found, f"no hidden {name} on the page"
    return found.group(1)


def _form(total: int, **extra: str) -> dict[str, str]:
    return {**{f"p_{code}": value for code, value in points(total).items()}, **extra}


STALE = "Phiếu vừa được thay đổi (ở trình duyệt khác hoặc bởi người khác) sau khi bạn mở trang, nên chưa ghi gì."


def test_two_browsers_self_assessing_one_sheet_the_later_is_refused_on_the_page_and_nothing_written(world):
    sheet = sheet_of(open_month(world), world.cadre_a.pk)
    url, post = reverse("evaluation-sheet", args=[sheet.pk]), reverse("evaluation-sheet-self", args=[sheet.pk])
    phone, desktop = _browser(world.commune_a_cadre), _browser(world.commune_a_cadre)
    with on(AFTER):
        seen_phone = _version(phone.get(url).content.decode())
        seen_desktop = _version(desktop.get(url).content.decode())
        assert seen_phone == seen_desktop == str(sheet.version)
        first = phone.post(post, _form(20, comment="Từ điện thoại", version=seen_phone))
        late = desktop.post(post, _form(10, comment="Từ máy bàn", version=seen_desktop))
    assert first.status_code == 302
    page = late.content.decode()
    assert late.status_code == 409 and STALE in page
    assert "Từ điện thoại" in page and "Từ máy bàn" not in page  # the current values, drawn again
    assert _version(page) == str(sheet.version + 1)
    sheet.refresh_from_db()
    assert (sheet.self_comment, str(sheet.general_points), sheet.version) == ("Từ điện thoại", "20.00",
                                                                              int(seen_phone) + 1)
    assert AuditEvent.objects.filter(action="evaluation.sheet.self", object_id=str(sheet.pk)).count() == 1
    with on(AFTER):  # sent again from the page drawn again, it is written
        again = desktop.post(post, _form(10, comment="Từ máy bàn", version=_version(page)))
    sheet.refresh_from_db()
    assert again.status_code == 302 and sheet.self_comment == "Từ máy bàn"


def test_two_assessors_on_one_sheet_the_later_step_2_is_refused_and_the_first_kept(world):
    deputy = make_user("pho_chu_tich", role=Role.LEADER, unit=world.commune_a)
    sheet = self_assess(sheet_of(open_month(world), world.cadre_a.pk), world.commune_a_cadre, 24)
    url, post = reverse("evaluation-sheet", args=[sheet.pk]), reverse("evaluation-sheet-assess", args=[sheet.pk])
    leader, other = _browser(world.commune_a_leader), _browser(deputy)
    with on(AFTER):
        seen_leader = _version(leader.get(url).content.decode())
        seen_other = _version(other.get(url).content.decode())
        first = leader.post(post, _form(24, comment="Đồng ý", version=seen_leader))
        reasons = {f"r_{code}": "Chưa đủ minh chứng" for code in points(10)}
        late = other.post(post, _form(10, comment="Hạ điểm", version=seen_other, **reasons))
    assert first.status_code == 302 and late.status_code == 409
    assert STALE in late.content.decode() and "Đồng ý" in late.content.decode()
    sheet.refresh_from_db()
    assert (sheet.assessed_by, sheet.assessor_comment, str(sheet.general_points)) == (world.commune_a_leader,
                                                                                      "Đồng ý", "24.00")
    assert AuditEvent.objects.filter(action="evaluation.sheet.assess", object_id=str(sheet.pk)).count() == 1


def test_step_3_sent_from_a_page_drawn_before_a_sheet_changed_is_refused_naming_whose(world):
    deputy = make_user("pho_chu_tich", role=Role.LEADER, unit=world.commune_a)
    month = open_month(world)
    sheet = assess(self_assess(sheet_of(month, world.cadre_a.pk), world.commune_a_cadre, 24), world.commune_a_leader)
    for other in month.sheets.exclude(pk=sheet.pk):
        services.sheet_leave(actor=world.commune_a_leader, sheet=other, on_leave=True, days_worked=0)
    url, post = reverse("evaluation-month", args=[month.pk]), reverse("evaluation-month-conclude", args=[month.pk])
    leader, assessor = _browser(world.commune_a_leader), _browser(deputy)
    with on(AFTER):
        drawn = leader.get(url).content.decode()
        seen = _version(drawn, f"v_{sheet.pk}")
        sheet_url = reverse("evaluation-sheet", args=[sheet.pk])
        changed = assessor.post(reverse("evaluation-sheet-assess", args=[sheet.pk]), _form(
            24, comment="Xem lại", version=_version(assessor.get(sheet_url).content.decode())))
        assert changed.status_code == 302
        late = leader.post(post, {"action": "conclude", f"v_{sheet.pk}": seen, f"grade_{sheet.pk}": "good"})
    page = late.content.decode()
    assert late.status_code == 409
    assert f"Phiếu của {world.cadre_a.full_name} vừa được thay đổi sau khi bạn mở trang" in page
    month.refresh_from_db()
    sheet.refresh_from_db()
    assert month.status == "open" and sheet.status == "assessed" and sheet.grade == ""
    assert not AuditEvent.objects.filter(action="evaluation.month.conclude").exists()
    with on(AFTER):  # concluded from the page drawn again
        done = leader.post(post, {"action": "conclude", f"v_{sheet.pk}": _version(page, f"v_{sheet.pk}")})
    month.refresh_from_db()
    assert done.status_code == 302 and month.locked
    sheet.refresh_from_db()
    assert sheet.version == int(_version(page, f"v_{sheet.pk}")) + 1  # concluding is a change of the sheet


def test_a_step_form_sent_after_the_month_was_concluded_and_reopened_is_stale(world):
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    for other in month.sheets.exclude(pk=sheet.pk):
        services.sheet_leave(actor=world.commune_a_leader, sheet=other, on_leave=True, days_worked=0)
    sheet = assess(self_assess(sheet, world.commune_a_cadre, 24), world.commune_a_leader)
    leader = _browser(world.commune_a_leader)
    url = reverse("evaluation-sheet", args=[sheet.pk])
    with on(AFTER):
        seen = _version(leader.get(url).content.decode())
        month = services.month_conclude(actor=world.commune_a_leader, month=month)
        services.month_reopen(actor=world.province_committee, month=month, reason="Soát lại")
        # a change of points without its reason: the page is out of date, which is said first
        late = leader.post(reverse("evaluation-sheet-assess", args=[sheet.pk]), _form(20, version=seen))
    assert late.status_code == 409 and STALE in late.content.decode()
    sheet.refresh_from_db()
    assert str(sheet.general_points) == "24.00"
