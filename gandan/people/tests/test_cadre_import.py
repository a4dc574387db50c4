"""Import of cadres: agencies by name or id, managers in the file or stored, all or nothing, scoped."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.testing import make_agency
from gandan.people import imports
from gandan.people.models import Cadre, EmploymentType, Role
from gandan.people.scoping import paths_or_refuse
from gandan.people.testing import make_user

HEADER = ["ma_can_bo", "ho_ten", "ngay_sinh", "loai", "chuc_vu", "co_quan", "ma_don_vi", "dang_vien",
          "ma_quan_ly", "dien_thoai", "dien_thoai_co_quan", "email"]


def cadre_import(*, actor, province=None, **kwargs):
    """As the import page and the CLI run it: under the paths the actor may import into."""
    return imports.cadre_import(actor=actor, paths=paths_or_refuse(actor, province), **kwargs)


def row(code: str, name: str = "Nguyễn Văn Thử", agency: str = "UBND xã Nghĩa Thuận",
        **cells: object) -> list:
    values = {"ma_can_bo": code, "ho_ten": name, "loai": "Công chức", "co_quan": agency, **cells}
    return [values.get(column, "") for column in HEADER]


def xlsx_file(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def csv_file(rows: list[list], encoding: str = "utf-8") -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return io.BytesIO(text.getvalue().encode(encoding))


def written() -> tuple[int, int]:
    return Cadre.objects.count(), AuditEvent.objects.count()


def where(result) -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in result.errors]


@pytest.fixture
def admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


def run(actor, rows, name="can-bo.xlsx", **kwargs):
    source = xlsx_file(rows) if name.endswith(".xlsx") else csv_file(rows)
    return cadre_import(actor=actor, source=source, name=name, **kwargs)


def test_cadres_are_created_in_their_agencies_with_managers_and_one_audit_event(world, admin):
    events = AuditEvent.objects.count()
    result = run(admin, [HEADER,
                         row("CB-101", "Nguyễn Thị Hoa", "ubnd xa nghia thuan", ngay_sinh="15/03/1985",
                             chuc_vu="Công chức Tư pháp - Hộ tịch", dang_vien="x", ma_quan_ly="CB-102",
                             dien_thoai="0912000111", email="hoa@example.vn"),
                         row("CB-102", "Hà Văn Long", loai="Cán bộ", dang_vien="có",
                             ma_quan_ly=world.cadre_a.code),
                         row("CB-103", "Lý Văn Sáng", str(world.agency_province.pk), loai="contract",
                             ngay_sinh=dt.datetime(1990, 1, 2), dang_vien="không"),
                         row("CB-104", "Vi Thị Nga", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", loai="VIEN CHUC",
                             ma_don_vi=world.province.code, dien_thoai_co_quan="0219 3822 000")])
    assert result.ok, result.errors
    assert result.created == {"cadres": 4, "managers": 2}
    hoa = Cadre.objects.get(code="CB-101")
    assert (hoa.agency, hoa.unit, hoa.province) == (world.agency_a, world.commune_a, world.province)
    assert hoa.manager == Cadre.objects.get(code="CB-102") and hoa.is_party_member
    assert hoa.birth_date == dt.date(1985, 3, 15) and hoa.name_folded == "nguyen thi hoa"
    assert hoa.employment_type == EmploymentType.CIVIL_SERVANT and hoa.email == "hoa@example.vn"
    long = Cadre.objects.get(code="CB-102")
    assert long.manager == world.cadre_a and long.employment_type == EmploymentType.CADRE
    sang = Cadre.objects.get(code="CB-103")
    assert sang.agency == world.agency_province and sang.unit == world.province
    assert sang.employment_type == EmploymentType.CONTRACT and sang.birth_date == dt.date(1990, 1, 2)
    assert not sang.is_party_member and sang.manager is None
    assert Cadre.objects.get(code="CB-104").employment_type == EmploymentType.PUBLIC_EMPLOYEE
    event = AuditEvent.objects.get(action="import.cadres")
    assert AuditEvent.objects.count() == events + 1 and event.actor == admin
    assert event.after == {"file": "can-bo.xlsx", "rows": 4, "created": {"cadres": 4, "managers": 2}}
    assert verify_chain().ok


def test_missing_columns_are_one_error_naming_each(world, admin):
    before = written()
    result = run(admin, [["ma_can_bo", "ho_ten"], ["CB-1", "Tên"]])
    assert where(result) == [(1, "loai, co_quan")] and written() == before


def test_an_agency_outside_the_scope_is_reported_like_a_missing_one(world):
    outside = run(world.commune_b_admin, [HEADER, row("CB-1", agency="UBND xã Nghĩa Thuận")])
    missing = run(world.commune_b_admin, [HEADER, row("CB-1", agency="UBND xã Không Có")])
    assert where(outside) == where(missing) == [(2, "co_quan")]
    assert outside.errors[0].message.replace("Nghĩa Thuận", "?") == missing.errors[0].message.replace(
        "Không Có", "?")
    assert run(world.commune_b_admin, [HEADER, row("CB-1", agency="ubnd xa quan ba")]).ok


def test_an_agency_name_used_in_several_units_needs_the_unit_code(world, admin):
    make_agency(world.commune_a, "Văn phòng HĐND và UBND")
    make_agency(world.commune_b, "Văn phòng HĐND và UBND")
    result = run(admin, [HEADER, row("CB-1", agency="Văn phòng HĐND và UBND"),
                         row("CB-2", agency="Văn phòng HĐND và UBND", ma_don_vi=world.province.code),
                         row("CB-3", agency="van phong hdnd va ubnd", ma_don_vi=world.commune_b.code)])
    assert where(result) == [(2, "co_quan"), (3, "ma_don_vi")] and "ma_don_vi" in result.errors[0].message
    assert not Cadre.objects.filter(code="CB-3").exists()
    again = [HEADER, row("CB-3", agency="van phong hdnd va ubnd", ma_don_vi=world.commune_b.code)]
    assert run(admin, again).ok
    assert Cadre.objects.get(code="CB-3").unit == world.commune_b


def test_duplicate_staff_numbers_in_the_file_and_the_database_are_refused(world, admin):
    before = written()
    result = run(admin, [HEADER, row("CB-1"), row("CB-1"), row(world.cadre_a.code)])
    assert where(result) == [(3, "ma_can_bo"), (4, "ma_can_bo")]
    assert "dòng 2" in result.errors[0].message and "đã có" in result.errors[1].message
    assert written() == before


def test_bad_cells_are_each_reported_with_line_and_column(world, admin):
    before = written()
    result = run(admin, [HEADER,
                         row("CB-1", ngay_sinh="31/02/1990"),
                         row("CB-2", ngay_sinh="hôm qua"),
                         row("CB-3", ngay_sinh="01/01/2999"),
                         row("CB-4", loai="Bộ trưởng"),
                         row("CB-5", dang_vien="có lẽ"),
                         row("CB-6", email="khong-phai-email"),
                         row("CB 7", ho_ten=""),
                         row("CB-8", dien_thoai="gọi sau")], name="can-bo.csv")
    assert where(result) == [(2, "ngay_sinh"), (3, "ngay_sinh"), (4, "ngay_sinh"), (5, "loai"),
                             (6, "dang_vien"), (7, "email"), (8, "ma_can_bo"), (8, "ho_ten"),
                             (9, "dien_thoai")]
    assert "không tồn tại" in result.errors[0].message and written() == before


def test_managers_must_exist_in_the_file_or_in_scope_and_never_loop(world, admin):
    before = written()
    result = run(admin, [HEADER,
                         row("CB-1", ma_quan_ly="CB-KHONG-CO"),
                         row("CB-2", ma_quan_ly=world.cadre_other.code),
                         row("CB-3", ma_quan_ly="CB-3"),
                         row("CB-4", ma_quan_ly="CB-5"),
                         row("CB-5", ma_quan_ly="CB-4"),
                         row("CB-6", ma_quan_ly="CB-4")])
    assert where(result) == [(2, "ma_quan_ly"), (3, "ma_quan_ly"), (4, "ma_quan_ly"), (5, "ma_quan_ly"),
                             (6, "ma_quan_ly")]
    assert "vòng lặp" in result.errors[3].message and written() == before


def test_a_commune_admin_cannot_name_a_manager_outside_the_commune(world):
    result = run(world.commune_b_admin, [HEADER, row("CB-1", agency="UBND xã Quản Bạ",
                                                     ma_quan_ly=world.cadre_a.code)])
    assert where(result) == [(2, "ma_quan_ly")]
    assert run(world.commune_b_admin, [HEADER, row("CB-1", agency="UBND xã Quản Bạ",
                                                   ma_quan_ly=world.cadre_b.code)]).ok


def test_unreadable_files_are_refused(world, admin):
    latin = csv_file([HEADER, row("CB-1", "Lê Thu Ánh", "UBND xa Nghia Thuan", loai="Cong chuc")],
                     encoding="latin-1")
    result = cadre_import(actor=admin, source=latin, name="can-bo.csv")
    assert where(result) == [(2, "")] and "UTF-8" in result.errors[0].message
    fake = cadre_import(actor=admin, source=io.BytesIO(b"ma_can_bo,ho_ten\n"), name="can-bo.xlsx")
    assert len(fake.errors) == 1 and "không phải là tệp Excel" in fake.errors[0].message


def test_only_unit_admins_may_import_cadres(world):
    with pytest.raises(PermissionDenied):
        run(world.province_committee, [HEADER, row("CB-1")])
    assert not Cadre.objects.filter(code="CB-1").exists()


def test_the_web_page_imports_cadres(world, admin, client_as):
    source = xlsx_file([HEADER, row("CB-1", "Đinh Thị Hằng")])
    source.name = "can-bo.xlsx"
    response = client_as(admin).post("/imports/upload/", {"kind": "cadres", "file": source})
    assert response.status_code == 302 and response["Location"] == "/imports/?kind=cadres"
    assert Cadre.objects.get(code="CB-1").agency == world.agency_a


def test_the_command_checks_then_imports_cadres(world, tmp_path):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(xlsx_file([HEADER, row("CB-1"), row("CB-2", ma_quan_ly="CB-1")]).getvalue())
    call_command("import_cadres", str(path), province="T08", check=True, stdout=io.StringIO(), verbosity=0)
    assert not Cadre.objects.filter(code="CB-1").exists()
    call_command("import_cadres", str(path), province="T08", stdout=io.StringIO(), verbosity=0)
    assert Cadre.objects.get(code="CB-2").manager == Cadre.objects.get(code="CB-1")
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_cadres", str(path), province="T08", stderr=io.StringIO(), verbosity=0)
