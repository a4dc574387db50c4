"""The screens: the cadre's step 1, the assessor's step 2, step 3 on one screen with the cap, the
published results, who is late, the files; every page answers an out-of-scope user like a missing one."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from gandan.campaigns.models import Decision
from gandan.evaluation import year_services
from gandan.evaluation.models import AgencyMonth, AnnualResult, Sheet, SheetStatus
from gandan.evaluation.testing import FULL, assess, conclude_month, open_month, points, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import assert_denied_like_missing, make_cadre, make_user
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
D = dt.date


def _post_points(total: int | str) -> dict[str, str]:
    return {f"p_{code}": value for code, value in points(total).items()}


def test_the_cadre_scores_step_1_and_the_assessor_step_2_through_the_pages(world, client_as):
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    url = reverse("evaluation-sheet", args=[sheet.pk])
    with on(D(2026, 4, 2)):
        client = client_as(world.commune_a_cadre)
        page = client.get(url).content.decode()
        assert 'data-testid="self-form"' in page and 'data-testid="evidence-tasks"' in page
        assert 'data-testid="assess-form"' not in page
        assert reverse("petitions-list") + f"?held_cadre={world.cadre_a.pk}" in page.replace("&amp;", "&")
        client.post(reverse("evaluation-sheet-self", args=[sheet.pk]), {**_post_points(26), "comment": "Tốt"})
        sheet.refresh_from_db()
        assert sheet.status == SheetStatus.SELF_ASSESSED
        client = client_as(world.commune_a_leader)
        assert 'data-testid="assess-sheet"' in client.get(reverse("evaluation-assess")).content.decode()
        bad = client.post(reverse("evaluation-sheet-assess", args=[sheet.pk]), {**_post_points(20)}, follow=True)
        assert "hãy ghi lý do" in bad.content.decode()
        reasons = {f"r_{code}": "Chưa đủ minh chứng" for code in FULL}
        client.post(reverse("evaluation-sheet-assess", args=[sheet.pk]), {**_post_points(20), **reasons})
        sheet.refresh_from_db()
        assert (sheet.status, str(sheet.total)) == (SheetStatus.ASSESSED, "66.67")


def test_step_3_shows_the_distribution_and_blocks_above_the_line_then_concludes_lowered(world, client_as):
    others = [make_cadre(world.agency_a, f"Cán bộ {i}") for i in range(4)]
    accounts = [make_user(f"c{i}", role=Role.CADRE, unit=world.commune_a, cadre=c) for i, c in enumerate(others)]
    month = open_month(world)
    for account, cadre, total in [(world.commune_a_cadre, world.cadre_a, 30),
                                  *zip(accounts, others, ["29.9", 24, 24, 24], strict=True)]:
        assess(self_assess(sheet_of(month, cadre.pk), account, total), world.commune_a_leader)
    client = client_as(world.commune_a_leader)
    url = reverse("evaluation-month", args=[month.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="above-line"' in page and "Cán bộ 0" in page.split('data-testid="above-line"')[1][:400]
    assert 'data-testid="conclude" disabled' in page
    above = sheet_of(month, others[0].pk)
    form = {f"grade_{s.pk}": s.computed_grade for s in month.sheets.all()} | {f"grade_{above.pk}": "good"}
    form |= {f"veto_{s.pk}": "" for s in month.sheets.all()}
    preview = client.post(reverse("evaluation-month-conclude", args=[month.pk]), {**form, "action": "preview"})
    assert 'data-testid="above-line"' not in preview.content.decode()
    assert not AgencyMonth.objects.get(pk=month.pk).locked
    client.post(reverse("evaluation-month-conclude", args=[month.pk]), form)
    month.refresh_from_db()
    assert month.locked
    assert sorted(Sheet.objects.values_list("grade", flat=True)) == ["excellent", "good", "good", "good", "good"]
    response = client.get(url, {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("STT", "Họ và tên", "Chức vụ") and len(rows) == 2 + 5
    assert {r[7] for r in rows[2:]} == {"Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"}
    published = client_as(accounts[1]).get(reverse("evaluation-published"), {"month": "2026-03"}).content.decode()
    assert "Cán bộ 0" in published and "0912345678" not in published


def test_the_board_names_who_is_late(world, client_as):
    open_month(world)
    with on(D(2026, 4, 6)):
        page = client_as(world.commune_a_leader).get(reverse("evaluation-board"), {"month": "2026-03"})
    assert "Sân Tiến Phúc" in page.content.decode().split('data-testid="late-self"')[1][:200]


def test_out_of_scope_users_get_a_404_like_a_missing_sheet_or_month(world, client, caplog):
    month = open_month(world)
    sheet = sheet_of(month, world.cadre_a.pk)
    client.force_login(world.other_province_leader)
    for name, pk, kind in (("evaluation-sheet", sheet.pk, "evaluation.sheet"),
                           ("evaluation-month", month.pk, "evaluation.agencymonth")):
        assert_denied_like_missing(client, caplog, world.other_province_leader, reverse(name, args=[pk]),
                                   reverse(name, args=[pk + 999]), kind=kind, object_id=pk)
    client.force_login(world.commune_a_viewer)  # in scope, but neither the cadre, the assessor nor a leader
    assert client.get(reverse("evaluation-sheet", args=[sheet.pk])).status_code == 404
    assert client.post(reverse("evaluation-month-conclude", args=[month.pk])).status_code == 404


def test_the_year_page_computes_and_exports(world, client_as):
    conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    with on(D(2026, 12, 10)):
        client = client_as(world.commune_a_leader)
        client.post(reverse("evaluation-year-compute"), {"year": "2026", "agency": world.agency_a.pk})
        page = client.get(reverse("evaluation-year"), {"year": "2026"}).content.decode()
        assert "Sân Tiến Phúc" in page and "80,00" in page
        response = client.get(reverse("evaluation-year"), {"year": "2026", "format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True))
    assert rows[2][1] == "Sân Tiến Phúc" and rows[2][5] == 80
    assert AgencyMonth.objects.count() == 1


@pytest.mark.parametrize("outsider", ["other_province_leader", "commune_b_admin", "commune_a_viewer"])
def test_an_outsider_computes_no_year_and_sees_none(world, client_as, outsider):
    conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    with on(D(2026, 12, 10)):
        client = client_as(getattr(world, outsider))
        client.post(reverse("evaluation-year-compute"), {"year": "2026", "agency": world.agency_a.pk})
        assert not AnnualResult.objects.exists()
        page = client.get(reverse("evaluation-year"), {"year": "2026"}).content.decode()
        year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)
        assert AnnualResult.objects.count() == 1
        again = client.get(reverse("evaluation-year"), {"year": "2026"}).content.decode()
    assert "Sân Tiến Phúc" not in page and "Sân Tiến Phúc" not in again


def test_the_year_page_records_a_commendation_answering_a_proposal_and_names_a_bad_field(world, client_as):
    conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    with on(D(2026, 12, 10)):
        client = client_as(world.commune_a_leader)
        client.post(reverse("evaluation-year-compute"), {"year": "2026", "agency": world.agency_a.pk})
        annual = AnnualResult.objects.get()
        client.post(reverse("evaluation-title", args=[annual.pk]), {"title": "ldtt"})
        proposal = annual.proposals.get()
        url = reverse("evaluation-commendation", args=[annual.pk])
        bad = client.post(url, {"number": "", "date": "31/02/2026", "level": "commune", "reason": "x"}, follow=True)
        assert "alert alert-danger" in bad.content.decode() and not Decision.objects.exists()
        client.post(url, {"number": "15/QĐ-UBND", "date": "09/12/2026", "level": "commune",
                          "reason": "Lao động tiên tiến năm 2026", "proposal": proposal.pk})
        page = client.get(reverse("evaluation-year"), {"year": "2026"}).content.decode()
    assert Decision.objects.get(model=None, cadre=world.cadre_a).date == D(2026, 12, 9)
    assert "15/QĐ-UBND" in page.split('data-testid="commendations"')[1]


def test_a_reopened_month_shows_the_values_it_had_and_those_concluded_again(world, client_as):
    month = conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 26)],
                           world.commune_a_leader)
    url = reverse("evaluation-month", args=[month.pk])
    assert 'data-testid="reopen"' not in client_as(world.commune_a_leader).get(url).content.decode()
    above = client_as(world.province_committee)
    assert 'data-testid="reopen"' in above.get(url).content.decode()
    above.post(reverse("evaluation-month-reopen", args=[month.pk]), {"reason": "Thiếu phản ánh tháng 3"})
    assess(sheet_of(month, world.cadre_a.pk), world.commune_a_leader, 16, reason="Tính lại")
    leader = client_as(world.commune_a_leader)
    leader.post(reverse("evaluation-month-conclude", args=[month.pk]), {"action": "conclude"})
    history = leader.get(url).content.decode().split('data-testid="reopening"')[1]
    assert "Thiếu phản ánh tháng 3" in history and "86,67" in history and "53,33" in history
