"""Imports of villages and households: all or nothing, every error by line and column, scoped."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from gandan.core.audit import verify_chain
from gandan.core.imports import BATCH
from gandan.core.models import AuditEvent
from gandan.core.paths import PATH_SEP
from gandan.org import imports
from gandan.org.models import AdminUnit, Household
from gandan.org.testing import make_unit
from gandan.people.models import Role
from gandan.people.scoping import paths_or_refuse
from gandan.people.testing import make_user

VILLAGE_HEADER = ["ma_thon", "ten_thon", "loai", "ma_xa", "hieu_luc_tu"]
HOUSEHOLD_HEADER = ["ma_ho", "chu_ho", "ma_thon", "dia_chi", "dien_thoai", "nhan_khau"]


def village_import(*, actor, province=None, **kwargs):
    """As the import page and the CLI run it: under the paths the actor may import into."""
    return imports.village_import(actor=actor, paths=paths_or_refuse(actor, province), **kwargs)


def household_import(*, actor, province=None, **kwargs):
    return imports.household_import(actor=actor, paths=paths_or_refuse(actor, province), **kwargs)


def xlsx_file(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def csv_file(rows: list[list], encoding: str = "utf-8", bom: bool = False) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding))


def written() -> tuple[int, int, int]:
    return AdminUnit.objects.count(), Household.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


def import_villages(actor, rows, name="thon.xlsx", **kwargs):
    source = xlsx_file(rows) if name.endswith(".xlsx") else csv_file(rows)
    return village_import(actor=actor, source=source, name=name, **kwargs)


def where(result) -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in result.errors]


# -- villages: the good case ---------------------------------------------------------------------
def test_villages_are_created_under_their_communes_with_paths_and_one_audit_event(world, admin):
    events = AuditEvent.objects.count()
    result = import_villages(admin, [VILLAGE_HEADER,
                                     ["V.001", "Thôn Khuổi Phìn", "thôn", world.commune_a.code, "01/07/2025"],
                                     ["V002", "Bản Nà Lìn", "bản", world.commune_b.code, None]])
    assert result.ok and result.rows == 2 and result.created == {"villages": 2}
    first = AdminUnit.objects.get(code="V.001")
    assert first.parent == world.commune_a and first.level.code == "village"
    assert first.path == world.commune_a.path + PATH_SEP + "V-001"
    assert first.depth == world.commune_a.depth + 1
    assert first.province == world.province and first.name_folded == "thon khuoi phin"
    assert first.valid_from == dt.date(2025, 7, 1) and first.division_type == "thôn"
    assert AdminUnit.objects.get(code="V002").valid_from is None
    event = AuditEvent.objects.get(action="import.villages")
    assert AuditEvent.objects.count() == events + 1 and event.actor == admin
    assert event.after == {"file": "thon.xlsx", "rows": 2, "created": {"villages": 2}}
    assert event.province_id == world.province.pk and verify_chain().ok


def test_english_headers_bom_csv_and_digit_only_commune_codes_are_understood(world, admin):
    make_unit("commune", "Xã Tân Trào", world.province, code="00070")
    result = import_villages(admin, [["Code", "Name", "division_type", "commune_code"],
                                     ["V100", "Tổ dân phố 1", "tổ dân phố", "70"]], name="thon.csv")
    assert result.ok, result.errors
    assert AdminUnit.objects.get(code="V100").parent.code == "00070"


def test_a_semicolon_separated_csv_is_read_like_a_comma_separated_one(world, admin):
    source = io.BytesIO(f"ma_thon;ten_thon;loai;ma_xa\nV1;Thôn Một, Hai;thôn;{world.commune_a.code}\n".encode())
    assert village_import(actor=admin, source=source, name="thon.csv").ok
    assert AdminUnit.objects.get(code="V1").name == "Thôn Một, Hai"


def test_blank_rows_are_skipped_and_lines_are_those_of_the_sheet(world, admin):
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code],
                                     [], ["V2", "", "thôn", world.commune_a.code]])
    assert where(result) == [(4, "ten_thon")] and result.rows == 2


def test_check_only_validates_and_writes_nothing(world, admin):
    before = written()
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code]],
                             check_only=True)
    assert result.ok and result.rows == 1 and written() == before


# -- villages: every bad case writes nothing -----------------------------------------------------
def test_missing_columns_are_one_error_that_names_every_one(world, admin):
    before = written()
    result = import_villages(admin, [["ma_thon", "ten_thon"], ["V1", "Thôn Một"]])
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.line == 1 and "loai" in error.field and "ma_xa" in error.field
    assert "Thiếu cột bắt buộc: loai, ma_xa" in error.message and written() == before


@pytest.mark.parametrize("parent, expected", [
    ("99999", "Không tìm thấy xã có mã 99999"),
    ("T08", "Mã T08 là tỉnh, không phải xã"),
    ("village_a1", "là thôn, không phải xã"),
])
def test_a_parent_that_is_missing_or_not_a_commune_is_refused(world, admin, parent, expected):
    code = world.village_a1.code if parent == "village_a1" else parent
    before = written()
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code],
                                     ["V2", "Thôn Hai", "thôn", code]])
    assert where(result) == [(3, "ma_xa")] and expected in result.errors[0].message
    assert written() == before


def test_a_commune_outside_the_scope_is_reported_exactly_like_a_missing_one(world):
    admin_b = world.commune_b_admin
    outside = import_villages(admin_b, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code]])
    missing = import_villages(admin_b, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", "ZZ999"]])
    assert where(outside) == where(missing) == [(2, "ma_xa")]
    assert outside.errors[0].message.replace(world.commune_a.code, "?") == missing.errors[0].message.replace(
        "ZZ999", "?")
    assert not AdminUnit.objects.filter(code="V1").exists()


def test_a_merged_commune_is_refused(world, admin):
    AdminUnit.objects.filter(pk=world.commune_b.pk).update(valid_to=dt.date(2025, 7, 1))
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_b.code]])
    assert where(result) == [(2, "ma_xa")] and "không còn hiệu lực" in result.errors[0].message


def test_duplicate_codes_in_the_file_and_in_the_database_are_refused(world, admin):
    before = written()
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code],
                                     ["V1", "Thôn Một B", "thôn", world.commune_b.code],
                                     [world.village_a1.code, "Thôn Ba", "thôn", world.commune_a.code]])
    assert where(result) == [(3, "ma_thon"), (4, "ma_thon")]
    assert "dòng 2" in result.errors[0].message and "đã có" in result.errors[1].message
    assert written() == before


@pytest.mark.parametrize("value", ["31/02/2025", "hôm qua", "2025/13/01"])
def test_bad_dates_are_refused_with_their_line(world, admin, value):
    result = import_villages(admin, [VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code, value]],
                             name="thon.csv")
    assert where(result) == [(2, "hieu_luc_tu")] and not AdminUnit.objects.filter(code="V1").exists()


def test_empty_required_cells_each_get_their_error(world, admin):
    result = import_villages(admin, [VILLAGE_HEADER, ["", "Thôn Một", "thôn", world.commune_a.code],
                                     ["V2", "Thôn Hai", "", ""]])
    assert where(result) == [(2, "ma_thon"), (3, "loai"), (3, "ma_xa")]
    assert "bỏ trống" in result.errors[0].message


def test_a_csv_that_is_not_utf8_is_refused_with_its_line(world, admin):
    source = csv_file([VILLAGE_HEADER, ["V1", "Thon Mot", "thon", world.commune_a.code],
                       ["V2", "Thôn Pò", "thôn", world.commune_a.code]], encoding="latin-1")
    before = written()
    result = village_import(actor=admin, source=source, name="thon.csv")
    assert where(result) == [(3, "")] and "UTF-8" in result.errors[0].message and written() == before


@pytest.mark.parametrize("content", [b"ma_thon,ten_thon\nV1,x\n", "zip"])
def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(world, admin, content):
    if content == "zip":
        content = io.BytesIO()
        with zipfile.ZipFile(content, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        content = content.getvalue()
    result = village_import(actor=admin, source=io.BytesIO(content), name="thon.xlsx")
    assert len(result.errors) == 1 and ".xlsx" in result.errors[0].message


def test_an_unknown_file_type_and_an_empty_file_are_refused(world, admin):
    assert ".xlsx" in village_import(actor=admin, source=io.BytesIO(b"x"), name="thon.txt").errors[0].message
    empty = import_villages(admin, [VILLAGE_HEADER])
    assert where(empty) == [(2, "")] and "không có dòng" in empty.errors[0].message


def test_only_unit_admins_may_import(world):
    with pytest.raises(PermissionDenied):
        import_villages(world.commune_a_leader, [VILLAGE_HEADER])
    with pytest.raises(PermissionDenied):
        import_villages(world.nobody, [VILLAGE_HEADER])


# -- households ----------------------------------------------------------------------------------
def test_households_are_created_in_their_villages_with_one_audit_event(world, admin):
    source = csv_file([HOUSEHOLD_HEADER,
                       ["HGD-1", "Vàng Thị Mỷ", world.village_a1.code, "Xóm Trên", "0912 345 678", "5"],
                       ["HGD-2", "Lò Văn Páo", world.village_b1.code, "", "", ""]], bom=True)
    result = household_import(actor=admin, source=source, name="ho.csv")
    assert result.ok and result.created == {"households": 2}
    first = Household.objects.get(code="HGD-1")
    assert first.village == world.village_a1 and first.province == world.province
    assert first.head_name_folded == "vang thi my" and first.members == 5 and first.phone == "0912 345 678"
    assert Household.objects.get(code="HGD-2").members is None
    event = AuditEvent.objects.get(action="import.households")
    assert event.after == {"file": "ho.csv", "rows": 2, "created": {"households": 2}} and verify_chain().ok


def test_bad_household_rows_are_all_reported_and_nothing_is_written(world, admin):
    before = written()
    source = xlsx_file([HOUSEHOLD_HEADER,
                        ["H1", "Chủ Một", world.village_a1.code, "", "", "năm"],
                        ["H1", "Chủ Hai", world.village_a1.code],
                        [world.household_a1.code, "Chủ Ba", world.village_b1.code],
                        ["H4", "Chủ Bốn", world.commune_a.code],
                        ["H5", "Chủ Năm", "KHONG-CO", "", "số máy bàn"],
                        ["H6", "Chủ Sáu", world.village_a2.code]])
    result = household_import(actor=admin, source=source, name="ho.xlsx")
    assert where(result) == [(2, "nhan_khau"), (3, "ma_ho"), (4, "ma_ho"), (5, "ma_thon"), (6, "dien_thoai"),
                             (6, "ma_thon")]
    assert "là xã, không phải thôn" in result.errors[3].message
    assert written() == before


def test_a_village_outside_the_scope_is_unknown_to_a_commune_admin(world):
    source = csv_file([HOUSEHOLD_HEADER, ["H1", "Chủ Một", world.village_a1.code],
                       ["H2", "Chủ Hai", world.village_b1.code]])
    result = household_import(actor=world.commune_b_admin, source=source, name="ho.csv")
    assert where(result) == [(2, "ma_thon")] and "Không tìm thấy thôn" in result.errors[0].message
    assert not Household.objects.filter(code="H2").exists()


def test_large_files_are_written_in_batches_and_duplicates_found_across_batches(world, admin):
    count = BATCH * 2 + 5
    rows = [HOUSEHOLD_HEADER] + [[f"H{i}", f"Chủ hộ {i}", world.village_a1.code] for i in range(count)]
    result = household_import(actor=admin, source=csv_file(rows), name="ho.csv")
    assert result.ok and result.created == {"households": count}
    assert Household.objects.filter(village=world.village_a1).count() == count + 1  # + the world's own
    duplicated = rows + [["H3", "Chủ hộ trùng", world.village_a2.code]]
    result = household_import(actor=admin, source=csv_file(duplicated), name="ho.csv")
    assert len(result.errors) == len(duplicated) - 1 and result.errors[-1].line == len(duplicated)


def test_a_bad_row_after_whole_batches_were_written_rolls_every_one_back(world, admin):
    """Households are checked and written in one pass: the batches before the bad row were inserted,
    and the transaction takes them back; the progress still counts both passes' work."""
    before = written()
    count = BATCH * 2 + 5
    rows = [HOUSEHOLD_HEADER] + [[f"H{i}", f"Chủ hộ {i}", world.village_a1.code] for i in range(count)]
    rows.insert(count - 1, ["H-X", "Chủ hộ sai", "KHONG-CO"])
    ticks = []
    result = household_import(actor=admin, source=csv_file(rows), name="ho.csv", progress=ticks.append)
    assert where(result) == [(count, "ma_thon")] and result.created == {} and result.rows == count + 1
    assert written() == before and sum(ticks) == 2 * (count + 1)


def test_checking_households_only_writes_nothing(world, admin):
    before = written()
    source = csv_file([HOUSEHOLD_HEADER, ["H1", "Chủ Một", world.village_a1.code]])
    result = household_import(actor=admin, source=source, name="ho.csv", check_only=True)
    assert result.ok and result.rows == 1 and result.created == {} and written() == before


# -- the web page --------------------------------------------------------------------------------
def upload(client, kind: str, source: io.BytesIO, name: str):
    source.name = name
    return client.post("/imports/upload/", {"kind": kind, "file": source})


def test_an_admin_uploads_villages_and_sees_what_was_created(world, admin, client_as):
    client = client_as(admin)
    assert 'data-testid="import-form"' in client.get("/imports/").content.decode()
    response = upload(client, "villages", xlsx_file([VILLAGE_HEADER, ["V1", "Thôn Một", "thôn",
                                                                      world.commune_a.code]]), "thon.xlsx")
    assert response.status_code == 302 and response["Location"] == "/imports/?kind=villages"
    assert AdminUnit.objects.get(code="V1").parent == world.commune_a
    page = client.get(response["Location"])
    assert "Đã nhập 1 dòng" in page.content.decode() and page.context["form"]["kind"].value() == "villages"


def test_an_upload_with_errors_lists_them_above_the_form_and_keeps_the_kind(world, admin, client_as):
    before = written()
    source = csv_file([HOUSEHOLD_HEADER, ["H1", "Chủ Một", world.village_a1.code],
                       ["H2", "", "KHONG-CO"]])
    response = upload(client_as(admin), "households", source, "ho.csv")
    body = response.content.decode()
    assert response.status_code == 400 and written() == before
    assert body.index('data-testid="import-errors"') < body.index('data-testid="import-form"')
    assert "<code>chu_ho</code>" in body and "Không tìm thấy thôn có mã KHONG-CO" in body
    assert [(e.line, e.field) for e in response.context["shown_errors"]] == [(3, "chu_ho"), (3, "ma_thon")]
    assert '<option value="households" selected>' in body


def test_a_file_larger_than_the_limit_is_refused_with_a_clear_message(world, admin, client_as, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    rows = [[f"H{i}", "Chủ hộ" * 20, world.village_a1.code] for i in range(9000)]
    big = csv_file([HOUSEHOLD_HEADER, *rows])
    response = upload(client_as(admin), "households", big, "ho.csv")
    assert response.status_code == 413 and "Tệp quá lớn: tối đa 1" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 100
    small = csv_file([HOUSEHOLD_HEADER] + [[f"H{i}", "Chủ hộ", world.village_a1.code] for i in range(20)])
    response = upload(client_as(admin), "households", small, "ho.csv")
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert not Household.objects.filter(code="H1").exists()


def test_an_upload_without_a_file_names_the_field_and_keeps_the_kind(world, admin, client_as):
    before = written()
    response = client_as(admin).post("/imports/upload/", {"kind": "cadres"})
    assert response.status_code == 400 and response.context["form"].has_error("file")
    assert response.context["kind"] == "cadres" and written() == before


def test_an_upload_of_an_unknown_kind_is_refused_and_shows_the_villages(world, admin, client_as):
    before = written()
    source = xlsx_file([VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code]])
    response = upload(client_as(admin), "petitions", source, "thon.xlsx")
    assert response.status_code == 400 and response.context["form"].has_error("kind")
    assert response.context["kind"] == "villages" and written() == before


@pytest.mark.parametrize("persona", ["commune_a_leader", "commune_a_viewer", "nobody"])
def test_users_who_are_not_unit_admins_are_refused(world, client_as, persona):
    client = client_as(getattr(world, persona))
    assert 'data-testid="import-refused"' in client.get("/imports/").content.decode()
    source = xlsx_file([VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.commune_a.code]])
    assert upload(client, "villages", source, "thon.xlsx").status_code == 403
    assert not AdminUnit.objects.filter(code="V1").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    for url in ["/imports/", "/imports/template/villages.xlsx"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = upload(client, "villages", xlsx_file([VILLAGE_HEADER]), "thon.xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("kind, first", [("villages", "ma_thon"), ("households", "ma_ho"),
                                         ("cadres", "ma_can_bo")])
def test_templates_open_with_the_right_headers_and_instructions(world, client_as, kind, first):
    client = client_as(world.commune_a_viewer)
    response = client.get(f"/imports/template/{kind}.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[0] == first and book.sheetnames[1] == "Hướng dẫn"
    guide = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True) if row[0]]
    assert guide[:len(header)] == header
    response = client.get(f"/imports/template/{kind}.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [header] and response.content.startswith(b"\xef\xbb\xbf")


def test_a_template_is_written_in_the_reader_s_language_only(world, client_as):
    client = client_as(world.commune_a_viewer)
    texts = {}
    for language in ("vi", "en"):
        client.cookies["django_language"] = language
        book = openpyxl.load_workbook(io.BytesIO(client.get("/imports/template/villages.xlsx").content))
        guide = book.worksheets[1]
        texts[language] = (book.sheetnames[1], [c.value for c in guide[1]], guide.cell(row=2, column=4).value,
                           book.worksheets[0].cell(row=1, column=1).comment.text)
    assert texts["vi"][0] == "Hướng dẫn" and texts["en"][0] == "Instructions"
    assert texts["vi"][1] == ["Cột", "Tên tiếng Anh", "Bắt buộc", "Mô tả", "Ví dụ"]
    assert texts["en"][1] == ["Column", "English name", "Required", "Description", "Example"]
    assert texts["vi"][2].startswith("Mã thôn") and texts["en"][2].startswith("Village code")
    assert "Village code" not in texts["vi"][3] and "Mã thôn" not in texts["en"][3]


def test_unknown_template_kinds_and_formats_are_not_found(world, client_as):
    client = client_as(world.commune_a_viewer)
    assert client.get("/imports/template/petitions.xlsx").status_code == 404
    assert client.get("/imports/template/villages.pdf").status_code == 404


def test_a_filled_in_template_imports(world, admin, client_as, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # the upload goes through a temporary file on disk
    client = client_as(admin)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/imports/template/households.xlsx").content))
    assert book.active.max_row == 1 and book.active.column_dimensions["C"].number_format == "@"
    book.active.append(["HGD-9", "Hoàng Văn Tư", world.village_b1.code, "", "0912345678", 4])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    assert upload(client, "households", filled, "ho.xlsx").status_code == 302
    assert Household.objects.get(code="HGD-9").members == 4


# -- the command line ----------------------------------------------------------------------------
def test_the_command_imports_within_the_province(world, tmp_path):
    path = tmp_path / "ho.xlsx"
    path.write_bytes(xlsx_file([HOUSEHOLD_HEADER, ["H1", "Chủ Một", world.village_a1.code]]).getvalue())
    out = io.StringIO()
    call_command("import_households", str(path), province="T08", stdout=out, verbosity=0)
    assert "Đã nhập 1 dòng" in out.getvalue()
    assert Household.objects.get(code="H1").province == world.province
    assert AuditEvent.objects.get(action="import.households").actor is None


def test_the_command_prints_every_error_and_exits_non_zero(world, tmp_path):
    path = tmp_path / "thon.csv"
    path.write_bytes(csv_file([VILLAGE_HEADER, ["V1", "Thôn Một", "thôn", world.other_commune.code],
                               ["V2", "Thôn Hai", "thôn", world.commune_a.code, "hôm qua"]]).getvalue())
    before, err = written(), io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_units", str(path), province="T08", stderr=err, verbosity=0)
    assert "Dòng 2 [ma_xa]" in err.getvalue() and "Dòng 3 [hieu_luc_tu]" in err.getvalue()
    assert written() == before
    with pytest.raises(CommandError, match="NOPE"):
        call_command("import_units", str(path), province="NOPE", verbosity=0)


def test_every_bad_household_row_is_reported_after_the_first_error_and_across_imports(world, admin):
    """The codes already in the province are found for rows after the first error too (on PostgreSQL
    by one join of the staged file at the end), and a second import in the same transaction sees
    the first one's households and none of its staged rows."""
    count = BATCH * 2 + 5
    rows = [HOUSEHOLD_HEADER] + [[f"H{i}", f"Chủ hộ {i}", world.village_a1.code, "", "", "3"] for i in range(count)]
    assert household_import(actor=admin, source=csv_file(rows), name="ho.csv").created == {"households": count}
    assert Household.objects.get(code="H7").members == 3 and Household.objects.get(code="H7").head_name == "Chủ hộ 7"
    before = written()
    again = [HOUSEHOLD_HEADER, ["N1", "", world.village_a1.code]] + [[f"N{i}", f"Chủ {i}", world.village_a1.code]
                                                                      for i in range(2, BATCH * 2)]
    again += [["H5", "Chủ hộ trùng", world.village_a1.code], ["N9", "Chủ chín", world.village_a1.code]]
    result = household_import(actor=admin, source=csv_file(again), name="ho.csv")
    assert where(result) == [(2, "chu_ho"), (BATCH * 2 + 1, "ma_ho"), (BATCH * 2 + 2, "ma_ho")]
    assert "đã có trong tỉnh" in result.errors[1].message and "trùng với dòng 10" in result.errors[2].message
    assert written() == before
    fresh = household_import(actor=admin, source=csv_file([HOUSEHOLD_HEADER, ["N1", "Chủ một", world.village_a1.code]]),
                             name="ho.csv")
    assert fresh.created == {"households": 1} and Household.objects.filter(code__startswith="N").count() == 1


def test_a_household_row_that_fails_a_field_check_is_worded_as_before(world, admin):
    """Rows that pass every check take a short path; any other goes through the field helpers."""
    long_code = "V" * 41
    source = csv_file([HOUSEHOLD_HEADER,
                       ["H 1", "Chủ Một", world.village_a1.code],
                       ["H2", "Chủ " * 60, world.village_a1.code],
                       ["H3", "Chủ Ba", world.village_a1.code, "x" * 301],
                       ["H4", "Chủ Bốn", world.village_a1.code, "", "12"],
                       ["H5", "Chủ Năm", world.village_a1.code, "", "", "300"],
                       ["H6", "Chủ Sáu", long_code]])
    result = household_import(actor=admin, source=source, name="ho.csv")
    assert where(result) == [(2, "ma_ho"), (3, "chu_ho"), (4, "dia_chi"), (5, "dien_thoai"), (6, "nhan_khau"),
                             (7, "ma_thon")]
