"""A CSV file is decoded a chunk at a time: lines, cells and line numbers come out as one line at a time
gave them, whatever falls on a chunk's edge."""

from __future__ import annotations

import io

import pytest

from gandan.core import tabular
from gandan.core.tabular import Column, Table, TabularError

COLUMNS = (Column("ma_ho", "code", True, "", ""), Column("chu_ho", "head_name", False, "", ""))
TEXT = ('\ufeffma_ho,chu_ho\r\nH1,Nguyễn Thị Ảnh\r\n\r\nH2,"Đinh\nVăn, Ả"\nH3,Lò\u2028Văn\nH4,Ước')


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 1 << 20])
def test_lines_cells_and_line_numbers_do_not_depend_on_the_chunk(monkeypatch, chunk):
    monkeypatch.setattr(tabular, "CHUNK", chunk)
    with Table(io.BytesIO(TEXT.encode()), "ho.csv", COLUMNS) as table:
        rows = [(row.line, row.cells) for row in table.rows()]
    assert rows == [(2, {"ma_ho": "H1", "chu_ho": "Nguyễn Thị Ảnh"}), (4, {"ma_ho": "H2", "chu_ho": "Đinh\nVăn, Ả"}),
                    (6, {"ma_ho": "H3", "chu_ho": "Lò\u2028Văn"}), (7, {"ma_ho": "H4", "chu_ho": "Ước"})]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_a_byte_that_is_not_utf8_names_its_line_after_the_lines_before_it(monkeypatch, chunk):
    monkeypatch.setattr(tabular, "CHUNK", chunk)
    data = "ma_ho,chu_ho\nH1,Ảnh\nH2,Ước\n".encode() + b"H3,L" + b"\xf2\n"  # ò in latin-1
    with Table(io.BytesIO(data), "ho.csv", COLUMNS) as table:
        seen = []
        with pytest.raises(TabularError) as caught:
            seen.extend(row.line for row in table.rows())
    assert seen == [2, 3] and caught.value.line == 4 and "UTF-8" in str(caught.value)
    cut = "ma_ho,chu_ho\nH1,Ả".encode()[:-1]  # the file ends inside a character
    with Table(io.BytesIO(cut), "ho.csv", COLUMNS) as table, pytest.raises(TabularError) as caught:
        list(table.rows())
    assert caught.value.line == 2
