"""The reporting workflow (submit, accept, return with a reason, reopen) and the reporting rate on a
hand-made set of on-time, late and missing reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gandan.core.models import AuditEvent
from gandan.org.testing import make_unit
from gandan.reports import services
from gandan.reports.models import PeriodReport, ReportDeadline, ReportStatus
from gandan.reports.reporting_rate import reporting_rate
from gandan.reports.testing import on

END = dt.date(2026, 10, 31)


def test_the_reporting_rate_counts_expected_actual_and_on_time():
    rate = reporting_rate([1, 2, 3, 4], {1: dt.date(2026, 11, 5), 2: dt.date(2026, 11, 6), 9: END}, END, 5)
    assert (rate.expected, rate.actual, rate.on_time, rate.rate, rate.on_time_rate) == (4, 2, 1, 50.0, 25.0)
    assert reporting_rate([], {}, END, 5).rate is None


@given(st.dictionaries(st.integers(0, 20), st.integers(0, 30)), st.integers(0, 10))
def test_on_time_never_exceeds_actual_nor_actual_expected(submitted, days):
    expected = range(0, 15)
    rate = reporting_rate(expected, {u: END + dt.timedelta(days=d) for u, d in submitted.items()}, END, days)
    assert 0 <= rate.on_time <= rate.actual <= rate.expected == 15


@pytest.fixture
def reports(world):
    """Commune A reports on time, commune B late, commune C never; the province allows 5 days."""
    commune_c = make_unit("commune", "Xã Tùng Vài", world.province, division_type="xã")
    ReportDeadline.objects.create(province=world.province, days_after_period=5)
    with on(dt.date(2026, 11, 5), hour=16):
        services.report_submit(actor=world.commune_a_leader, unit=world.commune_a, period="2026-10")
    with on(dt.date(2026, 11, 6), hour=8):
        services.report_submit(actor=world.commune_b_admin, unit=world.commune_b, period="2026-10")
    world.commune_c = commune_c
    return world


@pytest.mark.django_db
def test_the_level_above_sees_who_reported_on_time_late_or_not_at_all(reports, client_as):
    with on(dt.date(2026, 11, 10)):
        response = client_as(reports.province_committee).get(reverse("reports-list"), {"period": "2026-10"})
    o = response.context["o"]
    assert (o.rate.expected, o.rate.actual, o.rate.on_time) == (3, 2, 1)
    assert (o.rate.rate, o.rate.on_time_rate) == (66.7, 33.3)
    status = {unit.pk: (report.status if report else None, on_time) for unit, report, on_time in o.children}
    assert status == {reports.commune_a.pk: ("submitted", True), reports.commune_b.pk: ("submitted", False),
                      reports.commune_c.pk: (None, None)}
    assert o.deadline == dt.date(2026, 11, 5)


@pytest.mark.django_db
def test_accept_locks_return_needs_a_reason_and_reopen_unlocks(reports):
    w = reports
    report = PeriodReport.objects.get(unit=w.commune_a, period="2026-10")
    assert report.number == 1
    with pytest.raises(ValidationError):
        services.report_return(actor=w.province_committee, report=report, reason="  ")
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    accepted = services.report_accept(actor=w.province_committee, report=report)
    assert accepted.is_locked
    with pytest.raises(ValidationError):
        services.report_submit(actor=w.commune_a_leader, unit=w.commune_a, period="2026-10")
    reopened = services.report_reopen(actor=w.province_committee, report=accepted, reason="Thiếu số liệu phong trào")
    assert reopened.status == ReportStatus.RETURNED and reopened.return_reason == "Thiếu số liệu phong trào"
    again = services.report_submit(actor=w.commune_a_leader, unit=w.commune_a, period="2026-10")
    assert again.status == ReportStatus.SUBMITTED and again.submitted_at == report.submitted_at  # the first date
    actions = list(AuditEvent.objects.filter(object_type="reports.periodreport", object_id=str(report.pk))
                   .values_list("action", flat=True))
    assert actions == ["report.submit", "report.accept", "report.reopen", "report.submit"]


@pytest.mark.django_db
def test_a_unit_never_decides_its_own_report_nor_an_outsider_anything(reports):
    w = reports
    report = PeriodReport.objects.get(unit=w.commune_b, period="2026-10")
    for outsider in (w.commune_b_admin, w.commune_a_leader, w.other_province_leader):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=outsider, report=report)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=w.commune_a_leader, unit=w.commune_b, period="2026-10")
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert not PeriodReport.objects.filter(unit=w.commune_b, status=ReportStatus.ACCEPTED).exists()


@pytest.mark.django_db
def test_the_pages_steps_answer_an_outsider_as_a_missing_report(reports, client_as):
    w = reports
    report = PeriodReport.objects.get(unit=w.commune_b, period="2026-10")
    client = client_as(w.commune_a_leader)
    hidden = client.post(reverse("reports-step", args=[report.pk, "accept"]))
    missing = client.post(reverse("reports-step", args=[999999, "accept"]))
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    ok = client_as(w.province_committee).post(reverse("reports-step", args=[report.pk, "return"]),
                                              {"reason": "Số liệu chưa khớp"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "Số liệu chưa khớp")


@pytest.mark.django_db
def test_the_report_downloads_in_each_format_for_its_unit_only(reports, client_as):
    w = reports
    client = client_as(w.commune_a_leader)
    response = client.get(reverse("reports-file", args=[w.commune_a.pk, "2026-10", "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    docx = client.get(reverse("reports-file", args=[w.commune_a.pk, "2026-10", "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(reverse("reports-file", args=[w.commune_b.pk, "2026-10", "docx"])).status_code == 404


@pytest.mark.django_db
def test_a_commune_submits_its_edited_report_from_its_page(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.commune_a_leader)
    page = client.get(reverse("reports-list"), {"period": "2026-10"})
    assert page.status_code == 200 and b'data-testid="download-docx"' in page.content
    edited = SimpleUploadedFile("bao-cao.docx", b"PK\x03\x04 edited", content_type="application/octet-stream")
    response = client.post(reverse("reports-step", args=[world.commune_a.pk, "submit"]),
                           {"period": "2026-10", "file": edited})
    assert response.status_code == 302
    report = PeriodReport.objects.get(unit=world.commune_a, period="2026-10")
    assert report.status == ReportStatus.SUBMITTED and report.file.read().startswith(b"PK")
    again = client.post(reverse("reports-step", args=[world.commune_a.pk, "submit"]), {"period": "2026-10"},
                        follow=True)
    assert "chỉ gửi lại khi cấp trên trả lại" in again.content.decode()
    refused = client.post(reverse("reports-step", args=[world.commune_b.pk, "submit"]), {"period": "2026-10"})
    assert refused.status_code == 404 and not PeriodReport.objects.filter(unit=world.commune_b).exists()
