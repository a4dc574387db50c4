"""Vietnamese order in the database (core/collation.py) on AdminUnit names: the same on SQLite and
PostgreSQL, and the same as the Python key used for short lists (core/text.sort_key)."""

from __future__ import annotations

import pytest

from gandan.core.collation import vi_order
from gandan.core.text import sort_key
from gandan.org.models import AdminUnit
from gandan.org.testing import make_unit

NAMES = ["Tỉnh Huế", "Tỉnh Hà Nội", "Tỉnh Lào Cai", "Tỉnh Lạng Sơn", "Tỉnh Đắk Lắk", "Tỉnh Điện Biên",
         "Tỉnh Dak Nông", "Tỉnh An Giang", "Tỉnh Ăn Khê", "Tỉnh Bắc Ninh", "Tỉnh Cà Mau", "Tỉnh Zô"]
EXPECTED = ["Tỉnh An Giang", "Tỉnh Ăn Khê", "Tỉnh Bắc Ninh", "Tỉnh Cà Mau", "Tỉnh Dak Nông", "Tỉnh Đắk Lắk",
            "Tỉnh Điện Biên", "Tỉnh Hà Nội", "Tỉnh Huế", "Tỉnh Lạng Sơn", "Tỉnh Lào Cai", "Tỉnh Zô"]


def test_the_python_key_orders_as_a_dictionary():
    assert sorted(NAMES, key=sort_key) == EXPECTED


@pytest.mark.django_db
def test_the_database_orders_as_the_python_key():
    for i, name in enumerate(NAMES):
        make_unit("province", name, code=f"V{i:02d}")
    units = AdminUnit.objects.filter(code__startswith="V")
    rows = list(units.order_by(vi_order("name")).values_list("name", flat=True))
    assert rows == EXPECTED
    down = list(AdminUnit.objects.filter(code__startswith="V").order_by(vi_order("name", descending=True))
                .values_list("name", flat=True))
    assert down == EXPECTED[::-1]
