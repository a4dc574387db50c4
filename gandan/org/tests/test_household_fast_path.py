"""The household importer reads a row whose cells all pass in a few comparisons (`parse`), and any
other through the field helpers (`parse_checked`), which word each error. The two must agree on every
row: the fast path may accept only what the checked path accepts, with the same values, so that a rule
changed in one place and not the other fails here."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.core.tabular import Row
from gandan.org.imports import HouseholdImporter
from gandan.org.testing import make_unit

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.sampled_from("aZ09.-/ _+()ăêđ\tÀ"), max_size=45)


def cell(*choices: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(*choices, TEXT)


@pytest.fixture
def importer(world):
    ended = make_unit("village", "Thôn Cũ", parent=world.commune_a, code="HP-CU")
    ended.valid_to = dt.date(2025, 7, 1)  # ended before any day the test runs on
    ended.save()
    found = HouseholdImporter([world.province.path])
    found.prefetch_units([world.village_a1.code, world.commune_a.code, "HP-CU", "KHONG-CO"])
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=cell(st.just("HO-001"), st.just("x" * 41), st.just("")),
       head=cell(st.just("Vàng Seo Sử"), st.just("a" * 201), st.just("")),
       village=st.sampled_from(["", "KHONG-CO", "HP-CU", "village", "commune"]),
       address=cell(st.just("Thôn Nậm Lìn"), st.just("d" * 301)),
       phone=cell(st.just("0911 000 111"), st.just("+84 (91) 100-0111"), st.just("12345"), st.just("9" * 31)),
       members=st.sampled_from(["", "1", "200", "0", "201", "bốn", " 3 "]))
def test_the_fast_path_accepts_exactly_what_the_checked_path_accepts(world, importer, code, head, village, address,
                                                                     phone, members):
    village_code = {"village": world.village_a1.code, "commune": world.commune_a.code}.get(village, village)
    row = Row(7, {"ma_ho": code, "chu_ho": head, "ma_thon": village_code, "dia_chi": address,
                  "dien_thoai": phone, "nhan_khau": members})
    importer.errors.clear()
    fast = importer.parse(row)
    fast_errors = list(importer.errors)
    importer.errors.clear()
    checked = importer.parse_checked(row)
    assert fast_errors == importer.errors
    assert (fast is None) == (checked is None)
    if fast is not None and checked is not None:
        assert fast._replace(created_at=None, updated_at=None) == checked._replace(created_at=None, updated_at=None)
