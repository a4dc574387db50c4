"""Spreadsheets in and out: read a CSV or XLSX file as rows keyed by column, with the line numbers a
person sees (header = line 1), write the blank templates that imports accept, and write the one-sheet
workbooks that every list exports, streamed (each app's exports.py says what goes in them).

A `Table` can be read any number of times without holding the file in memory, so an import can
validate every row in a first pass and write in a second (imports are atomic: DESIGN §6). Files
that cannot be read at all raise `TabularError` with a sentence in Vietnamese and English.
Cell values come out as stripped text: XLSX dates become dd/mm/yyyy, whole numbers lose ".0".

Every file written here is opened by people in Excel or LibreOffice, and a text that begins like a
formula (`=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's list for spreadsheet injection)
would run there. So every writer below keeps such a text as text: in an exported workbook every text
is an inline string (never a formula element) and a formula-like one is also marked as typed after an
apostrophe (`quotePrefix`, what Excel itself does), so it is not evaluated on opening or on editing,
and shown exactly as it was typed; the import templates (openpyxl) pass their cells through `as_text`;
in a CSV file, where cells have no type, it is prefixed with an apostrophe. Numbers stay numbers.

Exports are streamed (`xlsx_download`): the workbook is written while its rows are read and sent to
the browser as it goes, so a province-wide list starts downloading at once and memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gandan.core.text import fold

CHUNK = 1 << 20  # bytes of a CSV file decoded at a time
MAX_CELL = 1000  # characters kept per cell; longer text is cut (and then fails the field's length check)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of an import: its Vietnamese header, the English alias, and its documentation."""

    key: str
    alias: str
    required: bool
    help_vi: str
    help_en: str
    example: str = ""


class TabularError(ValueError):
    """The file cannot be read (encoding, format, header); `line` and `field` say where, when known."""

    def __init__(self, message: str, *, line: int = 0, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


def header_key(text: str) -> str:
    """"Mã thôn" → "ma_thon", "ma_thon*" → "ma_thon": headers match without diacritics or case."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:MAX_CELL]


def _map_header(cells: Sequence[Any], columns: Sequence[Column]) -> dict[int, str]:
    """Column index → column key. Unknown headers are ignored; missing required ones are one error."""
    by_name: dict[str, str] = {}
    for col in columns:
        by_name[header_key(col.key)] = col.key
        by_name[header_key(col.alias)] = col.key
    found: dict[int, str] = {}
    for index, raw in enumerate(cells):
        text = cell_text(raw)
        key = by_name.get(header_key(text)) or by_name.get(header_key(re.split(r"[(/]", text)[0]))
        if key is None:
            continue
        if key in found.values():
            raise TabularError(_("Cột %(column)s xuất hiện hai lần trong dòng tiêu đề") % {"column": key},
                               line=1, field=key)
        found[index] = key
    missing = [col.key for col in columns if col.required and col.key not in found.values()]
    if missing:
        names = ", ".join(missing)
        raise TabularError(_("Thiếu cột bắt buộc: %(columns)s. Dòng 1 phải là dòng tiêu đề như tệp mẫu")
                           % {"columns": names}, line=1, field=names)
    return found


def _row(line: int, cells: Sequence[Any], mapping: dict[int, str]) -> Row | None:
    """The row's cells by column key, or None for a row with nothing in the import's columns."""
    values = {key: cell_text(cells[i]) if i < len(cells) else "" for i, key in mapping.items()}
    return Row(line, values) if any(values.values()) else None


def _text_row(line: int, cells: list[str], mapping: dict[int, str]) -> Row | None:
    """`_row` for a CSV line, whose cells are texts already (what `cell_text` makes of a text)."""
    count = len(cells)
    values = {key: cells[i].strip()[:MAX_CELL] if i < count else "" for i, key in mapping.items()}
    return Row(line, values) if any(values.values()) else None


class Table:
    """A CSV (UTF-8) or XLSX file opened for reading rows, as often as needed."""

    def __init__(self, source: IO[bytes], name: str, columns: Sequence[Column]) -> None:
        self.name = name
        self.source = source
        self.columns = list(columns)
        self.estimated_rows: int | None = None
        self._workbook: Any = None
        lower = name.lower()
        if lower.endswith(".xlsx"):
            self._open_xlsx()
        elif lower.endswith(".csv"):
            self._open_csv()
        elif lower.endswith(".xls"):
            raise TabularError(_("Tệp .xls (Excel cũ) không được hỗ trợ: hãy lưu lại thành .xlsx"))
        else:
            raise TabularError(_("Chỉ nhận tệp .xlsx hoặc .csv"))

    # -- XLSX ------------------------------------------------------------------------------------
    def _open_xlsx(self) -> None:
        from gandan.core.xlsx_rows import XlsxError, XlsxRows

        self.source.seek(0)
        if not zipfile.is_zipfile(self.source):
            raise TabularError(_("Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là tệp khác bị đổi đuôi)"))
        self.source.seek(0)
        try:
            self._workbook = XlsxRows(self.source)
        except XlsxError as exc:  # a damaged or foreign zip, a missing part, broken XML
            raise TabularError(_("Tệp không phải là tệp Excel .xlsx hợp lệ")) from exc
        last = self._workbook.dimension_rows  # only an estimate: the rows are read to the last one
        self.estimated_rows = max(last - 1, 0) if last else None
        try:
            self._mapping = _map_header(self._xlsx_header(), self.columns)
        except TabularError:
            self.close()
            raise

    def _xlsx_lines(self) -> Iterator[tuple[int, list[Any]]]:
        from gandan.core.xlsx_rows import XlsxError

        try:
            yield from self._workbook.rows()
        except XlsxError as exc:
            raise TabularError(_("Tệp không phải là tệp Excel .xlsx hợp lệ")) from exc

    def _xlsx_header(self) -> Sequence[Any]:
        for number, cells in self._xlsx_lines():
            return cells if number == 1 else ()
        return ()

    def _xlsx_rows(self) -> Iterator[Row]:
        for line, cells in self._xlsx_lines():
            if line < 2:
                continue
            row = _row(line, cells, self._mapping)
            if row is not None:
                yield row

    # -- CSV -------------------------------------------------------------------------------------
    def _open_csv(self) -> None:
        header_line = next(self._decoded_lines(), "")
        candidates = [",", ";", "\t"]
        self._delimiter = max(candidates, key=header_line.count) if header_line else ","
        header = next(csv.reader([header_line], delimiter=self._delimiter), [])
        self._mapping = _map_header(header, self.columns)
        self.source.seek(0)
        chunks = iter(lambda: self.source.read(CHUNK), b"")
        self.estimated_rows = max(sum(chunk.count(b"\n") for chunk in chunks) - 1, 0)

    def _decoded_lines(self) -> Iterator[str]:
        """The file's lines as text; a byte that is not UTF-8 stops the read with its line number."""
        return itertools.chain.from_iterable(self._decoded_chunks())

    def _decoded_chunks(self) -> Iterator[list[str]]:
        """The lines of each megabyte of the file, decoded at once (a line at a time was a tenth of a
        CSV import's time): each line keeps its "\n", as a binary file's lines do, and a line cut by
        the end of a chunk is carried to the next. Only "\n" ends a line, whatever else a cell holds."""
        self.source.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        carry, lines_before, first = "", 0, True
        while True:
            chunk = self.source.read(CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # the lines before the wrong byte, then its line number
                good = exc.object[:exc.start]
                lines = (carry + good.decode("utf-8").removeprefix("\ufeff" if first else "")).split("\n")
                yield [line + "\n" for line in lines[:-1]]
                number = lines_before + good.count(b"\n") + 1
                raise TabularError(
                    _("Dòng %(line)d: tệp CSV không phải mã UTF-8. Trong Excel chọn Lưu thành → “CSV UTF-8”")
                    % {"line": number},
                    line=number) from exc
            if first:
                text, first = text.removeprefix("\ufeff"), False
            lines_before += chunk.count(b"\n")
            lines = (carry + text).split("\n")
            carry = lines.pop()
            yield [line + "\n" for line in lines]
            if not chunk:
                if carry:
                    yield [carry]
                return

    def _csv_rows(self) -> Iterator[Row]:
        reader = csv.reader(self._decoded_lines(), delimiter=self._delimiter)
        try:
            next(reader, None)
            start = reader.line_num + 1
            for cells in reader:
                row = _text_row(start, cells, self._mapping)
                start = reader.line_num + 1
                if row is not None:
                    yield row
        except csv.Error as exc:
            line = reader.line_num
            raise TabularError(_("Dòng %(line)d: tệp CSV hỏng (%(error)s)") % {"line": line, "error": exc},
                               line=line) from exc

    # -- both ------------------------------------------------------------------------------------
    def rows(self) -> Iterator[Row]:
        """Data rows (blank rows skipped), each with its line number in the file."""
        return self._xlsx_rows() if self._workbook is not None else self._csv_rows()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- cell parsers: each raises ValueError with a sentence for people ------------------------------
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and yyyy-mm-dd)."""
    match = _DATE.match(text.strip())
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text.strip()):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(_("“%(value)s” không phải ngày dạng dd/mm/yyyy") % {"value": text})
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("Ngày %(value)s không tồn tại") % {"value": text}) from exc


_TRUE = {"co", "x", "yes", "y", "true", "1", "c", "dang vien"}
_FALSE = {"", "khong", "no", "n", "false", "0", "k"}


def parse_bool(text: str) -> bool:
    """có/không, x/blank, yes/no, 1/0."""
    value = fold(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"\"{text}\" phải là có hoặc không (x, yes/no) / must be yes or no (có/không, x)")


def parse_int(text: str, low: int, high: int) -> int:
    cleaned = text.strip().replace(" ", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueError(_("“%(value)s” không phải số nguyên") % {"value": text})
    number = int(cleaned)
    if not low <= number <= high:
        raise ValueError(_("%(value)d phải từ %(low)d đến %(high)d") % {"value": number, "low": low, "high": high})
    return number


# -- exports --------------------------------------------------------------------------------------
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """A text that a spreadsheet would read as a formula (a number, even negative, is not one)."""
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def as_text(cell: Any) -> Any:
    """The openpyxl cell, kept as the text it holds when that text looks like a formula."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_text(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: a formula-like text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that hands over what was written to it: zipfile writes an archive
    into it as a stream (sizes in data descriptors after each member), and the export yields the bytes."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (index into cellXfs): plain, bold header, 0.0%, text typed after an apostrophe, the same
# in bold, a date, a date and time. Dates are shown dd/mm/yyyy as everywhere in the product.
PLAIN, BOLD, PERCENT, QUOTED, BOLD_QUOTED, DATE, DATETIME = range(7)
_STYLES = (_HEAD + f"<styleSheet {_NS}>"
           '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/>'
           '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="dd/mm/yyyy hh:mm"/>'
           '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
           '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           "</styleSheet>")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TO_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
FLUSH_ROWS = 500  # rows written between two chunks handed to the response


def _xml_text(text: str) -> str:
    """Text for an XML element: escaped, a carriage return kept as one, characters XML cannot hold dropped."""
    if _TO_ESCAPE.search(text) is None:  # most cells: nothing to do
        return text
    text = _XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")


_STYLE_ATTR = {style: f' s="{style}"' if style else "" for style in range(7)}


def _cell(ref: str, value: Any, style: int) -> str:
    """One <c> element; '' for an empty cell. Texts are inline strings (never a formula: no <f>)."""
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
            return f'<c r="{ref}"{_STYLE_ATTR[style]}><v>{value}</v></c>'
        if isinstance(value, dt.datetime | dt.date):
            moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
            serial = (moment.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
            kind = DATETIME if isinstance(value, dt.datetime) else DATE
            return f'<c r="{ref}" s="{kind}"><v>{serial!r}</v></c>'
        value = str(value)
    if not value:
        return ""
    if value.startswith(FORMULA_LEADS):
        style = BOLD_QUOTED if style == BOLD else QUOTED
    elif style == PERCENT:
        style = PLAIN
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"{_STYLE_ATTR[style]}><is><t{space}>{_xml_text(value)}</t></is></c>'


def _styles(count: int, percent: set[int]) -> dict[str, list[int]]:
    return {"above": [PLAIN] * count, "header": [BOLD] * count,
            "row": [PERCENT if i in percent else PLAIN for i in range(count)]}


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(index) for index in range(1, count + 1)]


def _package(title: str) -> list[tuple[str, str]]:
    """Every member of the workbook but its one sheet."""
    return [
        ("[Content_Types].xml", _HEAD + f'<Types xmlns="{_PKG}/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
         'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
         'spreadsheetml.styles+xml"/></Types>'),
        ("_rels/.rels", _HEAD + f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
         f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", _HEAD + f'<workbook {_NS} xmlns:r="{_REL}"><sheets><sheet name="{_attr(title[:31])}" '
         'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", _HEAD + f'<Relationships xmlns="{_PKG}/relationships">'
         f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
         f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        ("xl/styles.xml", _STYLES),
    ]


def xlsx_chunks(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, above: Sequence[Any] = (),
                percent_columns: Sequence[int] = ()) -> Iterator[bytes]:
    """One sheet as a stream of bytes, produced while `rows` are read (memory stays flat however many
    there are): an optional line `above` the header saying what the file holds, the header in bold and
    frozen in place, each column as wide as its header, then the rows; `percent_columns` (1-based) show
    as 0.0%. The sheet is written as SpreadsheetML by hand and zipped as it goes (zipfile streams into
    an unseekable sink): openpyxl, even write-only, builds the whole file before the first byte and
    writes about ten times slower, which made a province's export a minute of blank screen."""
    sink = _Sink()
    width = max([len(header), len(above)] + [c for c in percent_columns])
    letters = _letters(max(width, 1))
    percent = {column - 1 for column in percent_columns}
    styles = _styles(len(letters), percent)
    frozen = 3 if above else 2
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, text in _package(title):
            book.writestr(name, text)
        yield sink.take()  # the browser starts the download before the first row is even fetched
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            cols = "".join(f'<col min="{i}" max="{i}" width="{max(12, len(str(name)) + 2)}" customWidth="1"/>'
                           for i, name in enumerate(header, start=1))
            sheet.write((_HEAD + f'<worksheet {_NS} xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
                         f'<pane ySplit="{frozen - 1}" topLeftCell="A{frozen}" activePane="bottomLeft" '
                         'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                         f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>").encode())
            lines: list[str] = []
            written = 0  # rows already handed to the zip member

            def line(values: Sequence[Any], kind: str) -> None:
                nonlocal letters, styles
                number = len(lines) + written + 1
                if len(values) > len(letters):
                    letters = _letters(len(values))
                    styles = _styles(len(letters), percent)
                cells = "".join([_cell(f"{letter}{number}", value, style)
                                 for letter, value, style in zip(letters, values, styles[kind], strict=False)])
                lines.append(f'<row r="{number}">{cells}</row>')

            if above:
                line(above, "above")
            line(header, "header")
            for row in rows:
                line(row, "row")
                if len(lines) >= FLUSH_ROWS:
                    sheet.write("".join(lines).encode())
                    written += len(lines)
                    lines.clear()
                    if chunk := sink.take():
                        yield chunk
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    yield sink.take()


def xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, above: Sequence[Any] = (),
         percent_columns: Sequence[int] = ()) -> bytes:
    """The workbook of `xlsx_chunks` as one value, for a file that is small or not sent to a browser."""
    return b"".join(xlsx_chunks(title, header, rows, above=above, percent_columns=percent_columns))


def xlsx_download(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                  above: Sequence[Any] = (), percent_columns: Sequence[int] = ()) -> StreamingHttpResponse:
    """The workbook sent to the browser while it is written: the download starts at once and the browser
    shows it growing, whatever the number of rows. `rows` is read after the view has returned, in the
    language of the request (a lazily translated label in a row stays in it); pass a query as an
    `.iterator()` so that the rows are never all in memory."""
    language = translation.get_language()

    def chunks() -> Iterator[bytes]:
        with translation.override(language):
            yield from xlsx_chunks(title, header, rows, above=above, percent_columns=percent_columns)

    response = StreamingHttpResponse(chunks(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Accel-Buffering"] = "no"  # nginx passes each chunk on instead of holding the whole file
    response["Cache-Control"] = "no-store"
    return response


def download(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    """A file for the browser to save as `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- templates ------------------------------------------------------------------------------------
NOTES = [
    ("Dòng 1 là dòng tiêu đề; mỗi dòng sau là một bản ghi. Cột in đậm là bắt buộc.",
     "Line 1 is the header row; each following line is one record. Bold columns are required."),
    ("Tiêu đề cột có thể viết bằng tiếng Việt (ma_thon) hoặc tên tiếng Anh (code); cột khác bị bỏ qua.",
     "Headers may be the Vietnamese name (ma_thon) or the English alias (code); other columns are ignored."),
    ("Ngày viết dạng dd/mm/yyyy, ví dụ 01/07/2025. Mã và số điện thoại nên để dạng văn bản (giữ số 0 đầu).",
     "Dates as dd/mm/yyyy, e.g. 01/07/2025. Keep codes and phone numbers as text (keeps leading zeros)."),
    ("Tệp CSV phải lưu mã UTF-8 (Excel: Lưu thành → CSV UTF-8).",
     "CSV files must be saved as UTF-8 (Excel: Save as → CSV UTF-8)."),
    ("Nhập là trọn gói: nếu có một dòng sai thì không dòng nào được ghi; mọi lỗi được liệt kê theo dòng.",
     "An import is all or nothing: if any line is wrong nothing is written; every error is listed by line."),
]


def _in_english() -> bool:
    return (get_language() or "vi").startswith("en")


def _help(col: Column) -> str:
    """A column's documentation in the reader's language (the template is written in one)."""
    return col.help_en if _in_english() else col.help_vi


def template_xlsx(columns: Sequence[Column], title: str) -> bytes:
    """A workbook with the header row (comments on each header) and a "Hướng dẫn / Instructions" sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = title[:31]
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=col.key)
        cell.font = Font(bold=col.required)
        if col.required:
            cell.fill = required_fill
        need = _("Bắt buộc") if col.required else _("Không bắt buộc")
        cell.comment = Comment(f"{_help(col)}\n({col.alias}; {need})", "Gần Dân")
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = max(14, len(col.key) + 4)
        dimension.number_format = "@"  # text: Excel keeps the leading zeros of codes and phone numbers
    sheet.freeze_panes = "A2"

    guide = book.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Tên tiếng Anh"), _("Bắt buộc"), _("Mô tả"), _("Ví dụ")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for col in columns:
        guide.append([col.key, col.alias, _("có") if col.required else _("không"), _help(col), col.example])
    guide.append([])
    english = _in_english()
    for vi, en in NOTES:
        guide.append([en if english else vi])
    for letter, width in zip("ABCDE", (22, 22, 14, 60, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for any_cell in (c for page in book.worksheets for row in page.iter_rows() for c in row):
        as_text(any_cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(columns: Sequence[Column]) -> bytes:
    """The header row, UTF-8 with a BOM so that Excel shows Vietnamese correctly."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_text(col.key) for col in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
