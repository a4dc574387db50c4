"""A household file typed with TCVN3 or VNI fonts: refused with every cell named, or converted on
request (engine: core.imports; command: --convert-legacy). Mixed rows keep their Unicode cells."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gandan.core.models import AuditEvent
from gandan.org.imports import household_import
from gandan.org.models import Household

pytestmark = pytest.mark.django_db

HEADER = ["ma_ho", "chu_ho", "ma_thon", "dia_chi"]
TCVN3_NAME = b"Nguy\xd4n V\xa8n H\xb6i".decode("latin-1")  # Nguyễn Văn Hải typed with .VnTime
VNI_ADDRESS = b"Xo\xf9m Tre\xe2n".decode("latin-1")  # Xóm Trên typed with VNI-Times
VNI_NAME = b"\xd1o\xe3 Th\xf2 Ho\xe0ng".decode("latin-1")  # Đỗ Thị Hồng


def workbook(world) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    for row in [HEADER, ["L1", TCVN3_NAME, world.village_a1.code, "Xóm Dưới"],
                ["L2", "Vàng Thị Mỷ", world.village_a1.code, VNI_ADDRESS],
                ["L3", VNI_NAME, world.village_a2.code, ""],
                ["L4", "Hoà Bình", world.village_a2.code, "Thôn Nậm Lìn"]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_legacy_cells_are_refused_with_line_column_and_what_they_would_become(world):
    before = Household.objects.count(), AuditEvent.objects.count()
    result = household_import(actor=None, paths=[world.province.path], source=workbook(world), name="ho.xlsx")
    assert [(e.line, e.field) for e in result.errors] == [(2, "chu_ho"), (3, "dia_chi"), (4, "chu_ho")]
    assert "TCVN3 (ABC)" in result.errors[0].message and "Nguyễn Văn Hải" in result.errors[0].message
    assert "VNI-Windows" in result.errors[1].message
    assert [(c.line, c.field, c.new) for c in result.legacy] == [
        (2, "chu_ho", "Nguyễn Văn Hải"), (3, "dia_chi", "Xóm Trên"), (4, "chu_ho", "Đỗ Thị Hồng")]
    assert not result.legacy_converted and (Household.objects.count(), AuditEvent.objects.count()) == before


def test_converted_on_request_and_the_unicode_cells_of_mixed_rows_are_kept(world):
    result = household_import(actor=None, paths=[world.province.path], source=workbook(world), name="ho.xlsx",
                              convert_legacy=True)
    assert result.ok and result.legacy_converted and result.legacy_cells == 3
    got = {h.code: (h.head_name, h.address) for h in Household.objects.filter(code__startswith="L")}
    assert got == {"L1": ("Nguyễn Văn Hải", "Xóm Dưới"), "L2": ("Vàng Thị Mỷ", "Xóm Trên"),
                   "L3": ("Đỗ Thị Hồng", ""), "L4": ("Hoà Bình", "Thôn Nậm Lìn")}
    event = AuditEvent.objects.get(action="import.households")
    assert event.after["converted_from_legacy"] == 3


def test_the_command_refuses_then_converts_and_shows_each_cell(world, tmp_path):
    path = tmp_path / "ho.xlsx"
    path.write_bytes(workbook(world).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 lỗi"):
        call_command("import_households", str(path), province="T08", stderr=err, verbosity=0)
    assert "Dòng 2 [chu_ho]" in err.getvalue() and "--convert-legacy" in err.getvalue()
    assert not Household.objects.filter(code__startswith="L").exists()
    out = io.StringIO()
    call_command("import_households", str(path), province="T08", convert_legacy=True, stdout=out, verbosity=0)
    assert f"Dòng 2 [chu_ho] TCVN3 (ABC): {TCVN3_NAME} → Nguyễn Văn Hải" in out.getvalue()
    assert f"Dòng 3 [dia_chi] VNI-Windows: {VNI_ADDRESS} → Xóm Trên" in out.getvalue()
    assert Household.objects.get(code="L3").head_name == "Đỗ Thị Hồng"
