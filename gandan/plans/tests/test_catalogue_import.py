"""The agency's task catalogue from XLSX: versioned by effective date, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from gandan.core.tabular import template_xlsx
from gandan.plans.importers import CATALOGUE_COLUMNS, catalogue_import
from gandan.plans.models import CatalogueItem

pytestmark = pytest.mark.django_db
HEADER = [c.key for c in CATALOGUE_COLUMNS]


def book(*rows):
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def run(world, source, day=dt.date(2026, 1, 1), actor=None):
    return catalogue_import(actor=actor or world.commune_a_leader, agency=world.agency_a, valid_from=day,
                            source=source, name="danh-muc.xlsx")


def test_a_catalogue_is_imported_and_a_later_version_closes_the_one_it_replaces(world):
    first = run(world, book(["B01", "B", "Tham mưu văn bản", "văn bản", "1,5", "moi"],
                            ["A01", "a", "Chủ trì hội nghị", "cuộc", "3", "lanh_dao"]))
    assert first.ok and first.created["task_catalogue"] == 2
    second = run(world, book(["B01", "B", "Tham mưu văn bản", "văn bản", "2", ""]), day=dt.date(2026, 7, 1))
    assert second.ok and second.created["closed_versions"] == 1
    current = CatalogueItem.objects.current(dt.date(2026, 8, 1)).filter(agency=world.agency_a)
    assert sorted(current.values_list("code", "weight")) == [("A01", Decimal("3")), ("B01", Decimal("2"))]
    before = CatalogueItem.objects.current(dt.date(2026, 3, 1)).get(code="B01")
    assert (before.weight, before.valid_to) == (Decimal("1.5"), dt.date(2026, 7, 1))


def test_a_file_with_a_bad_row_writes_nothing_and_names_each_row_and_field(world):
    result = run(world, book(["B01", "B", "Tham mưu", "văn bản", "1,5", "moi"],
                             ["B01", "B", "Tham mưu lần hai", "văn bản", "1", ""],
                             ["B02", "E", "", "cuộc", "-1", "ai_cung_duoc"]))
    assert not result.ok and not CatalogueItem.objects.exists()
    assert {(e.line, e.field) for e in result.errors} == {(3, "ma"), (4, "nhom"), (4, "ten"), (4, "trong_so"),
                                                         (4, "doi_tuong")}


def test_only_leaders_and_unit_administrators_import_and_the_template_has_every_column(world):
    with pytest.raises(PermissionDenied):
        run(world, book(["B01", "B", "x", "văn bản", "1", ""]), actor=world.commune_a_cadre)
    with pytest.raises(PermissionDenied):
        run(world, book(["B01", "B", "x", "văn bản", "1", ""]), actor=world.other_province_leader)
    sheet = load_workbook(io.BytesIO(template_xlsx(CATALOGUE_COLUMNS, "Danh mục"))).active
    assert [c.value for c in sheet[1]] == HEADER
