"""`gandan report`: the same document from the command line, one unit or each unit below one."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gandan.reports.rollup import rebuild_month
from gandan.reports.testing import OCTOBER

pytestmark = pytest.mark.django_db


def test_the_report_of_a_unit_as_xlsx_and_docx(october, tmp_path):
    rebuild_month(OCTOBER)
    out = tmp_path / "a.xlsx"
    call_command("report", "--unit", october.commune_a.code, "--period", "2026-10", "--format", "xlsx",
                 "-o", str(out), verbosity=0)
    sheet = load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    assert {r[1]: r[2] for r in sheet.iter_rows(min_row=3, values_only=True)}["Lượt đi cơ sở"] == 6
    call_command("report", "--unit", october.province.code, "--period", "2026-10", "--each-below",
                 "-o", str(tmp_path / "all"), verbosity=0)
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(
        f"bao-cao-{u.code}-2026-10.docx" for u in (october.commune_a, october.commune_b))


def test_a_unknown_unit_or_period_is_refused_with_a_clear_message(october, tmp_path):
    with pytest.raises(CommandError, match="KHONG"):
        call_command("report", "--unit", "KHONG", "--period", "2026-10", "-o", str(tmp_path / "x"), verbosity=0)
    with pytest.raises(CommandError, match="2026-00"):
        call_command("report", "--unit", october.commune_a.code, "--period", "2026-00", "-o", str(tmp_path / "x"),
                     verbosity=0)
    assert not (tmp_path / "x").exists()
