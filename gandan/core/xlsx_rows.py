"""The rows of a workbook's first sheet, streamed: the sheet's XML is fed to expat (the standard
library's parser) in chunks as it is unzipped, and each row is handed on as soon as its end tag is
read, so memory stays flat however many rows the file has; only the shared strings (the workbook's
table of distinct texts) are held, as every reader holds them.

Values come out as openpyxl's read-only reader gives them with `data_only=True` (texts, ints, floats,
booleans, datetimes for cells in a date format, the cached value of a formula), 4–5× faster: openpyxl
builds a cell per value, which kept an XLSX import of households at 200–800 rows/s on this machine.
python-calamine (Rust) reads 4–5× faster still but loads the whole sheet first: memory grows with
the file, +24 MB at 40,000 rows (bench/xlsx_readers.py, figures in bench/README.md). A file that is
not a readable workbook raises `XlsxError`; the caller words it for people. No DTD or entity is
accepted (the file is an upload).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _C, _V, _T, _RPH, _SI = (_MAIN + n for n in ("row", "c", "v", "t", "rPh", "si"))
CHUNK = 1 << 16  # bytes of XML fed to the parser at a time


class XlsxError(ValueError):
    """The file is not a workbook this reader can read (damaged zip, missing part, broken XML)."""


class _Enough(Exception):
    """Raised by a handler to stop reading a part once what was wanted is found."""


def _refuse(*_args: Any) -> Any:
    raise XlsxError("DTDs and entities are not accepted in a workbook")


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.ordered_attributes = False
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _feed(member: IO[bytes], parser: Any, ready: Callable[[], Iterator[Any]] | None = None) -> Iterator[Any]:
    """Feed a zip member to `parser` chunk by chunk, yielding what `ready` has after each chunk."""
    try:
        while chunk := member.read(CHUNK):
            parser.Parse(chunk, False)
            if ready is not None:
                yield from ready()
        parser.Parse(b"", True)
        if ready is not None:
            yield from ready()
    except expat.ExpatError as exc:
        raise XlsxError(str(exc)) from exc


def _starts(book: zipfile.ZipFile, name: str, wanted: set[str]) -> list[tuple[str, dict[str, str]]]:
    """The start tags named in `wanted` of a small part (workbook, relationships, styles), in order."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = _parser()
    parser.StartElementHandler = lambda tag, attrs: found.append((tag, attrs)) if tag in wanted else None
    with book.open(name) as member:
        for _ in _feed(member, parser):
            pass
    return found


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """"C12" → 2 (0-based column of a cell reference)."""
    letters = ref.rstrip("0123456789")
    found = _COLUMNS.get(letters)
    if found is None:
        found = 0
        for char in letters.upper():
            found = found * 26 + ord(char) - 64
        found = _COLUMNS[letters] = found - 1
    return found


class _Texts:
    """Collects the text of <t> elements (not those of phonetic guides) between two marks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inside = False  # in a <t> (or a <v>) whose text is wanted
        self.phonetic = False

    def start(self, tag: str) -> None:
        if tag == _T and not self.phonetic:
            self.inside = True
        elif tag == _RPH:
            self.phonetic = True

    def end(self, tag: str) -> None:
        if tag == _T:
            self.inside = False
        elif tag == _RPH:
            self.phonetic = False

    def data(self, text: str) -> None:
        if self.inside:
            self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


class XlsxRows:
    """The first sheet of a workbook opened for reading rows, as often as needed."""

    def __init__(self, source: IO[bytes]) -> None:
        try:
            self._book = zipfile.ZipFile(source)
            self._sheet = self._first_sheet()
            self._strings = self._shared_strings()
            self._dates, self._durations = self._date_styles()
            self.dimension_rows = self._dimension_rows()
        except (zipfile.BadZipFile, KeyError, ValueError, IndexError, StopIteration, EOFError) as exc:
            raise XlsxError(str(exc)) from exc

    # -- the package -----------------------------------------------------------------------------
    def _first_sheet(self) -> str:
        found = _starts(self._book, "xl/workbook.xml", {_MAIN + "sheet", _MAIN + "workbookPr"})
        pr = next((attrs for tag, attrs in found if tag == _MAIN + "workbookPr"), {})
        self._epoch = CALENDAR_MAC_1904 if pr.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
        sheet = next(attrs for tag, attrs in found if tag == _MAIN + "sheet")
        rels = _starts(self._book, "xl/_rels/workbook.xml.rels", {_PKG_REL})
        target = next(attrs["Target"] for _tag, attrs in rels if attrs.get("Id") == sheet.get(_DOC_REL))
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self._book.namelist():
            return []
        strings: list[str] = []
        texts = _Texts()
        parser = _parser()
        parser.StartElementHandler = lambda tag, _attrs: texts.start(tag)
        parser.CharacterDataHandler = texts.data

        def end(tag: str) -> None:
            texts.end(tag)
            if tag == _SI:
                strings.append(texts.take())

        parser.EndElementHandler = end
        with self._book.open("xl/sharedStrings.xml") as member:
            for _ in _feed(member, parser):
                pass
        return strings

    def _date_styles(self) -> tuple[set[int], set[int]]:
        """The cell styles (indexes into cellXfs) whose number format shows a date, and a duration."""
        if "xl/styles.xml" not in self._book.namelist():
            return set(), set()
        xfs, formats, inside = [], dict[int, str | None](BUILTIN_FORMATS), [False]
        parser = _parser()

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == _MAIN + "numFmt":
                formats[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode")
            elif tag == _MAIN + "cellXfs":
                inside[0] = True
            elif tag == _MAIN + "xf" and inside[0]:
                xfs.append(int(attrs.get("numFmtId") or 0))

        def end(tag: str) -> None:
            if tag == _MAIN + "cellXfs":
                inside[0] = False

        parser.StartElementHandler, parser.EndElementHandler = start, end
        with self._book.open("xl/styles.xml") as member:
            for _ in _feed(member, parser):
                pass
        codes = [formats.get(number) for number in xfs]
        return ({i for i, code in enumerate(codes) if is_date_format(code)},
                {i for i, code in enumerate(codes) if is_timedelta_format(code)})

    def _dimension_rows(self) -> int | None:
        """The last row the writer's <dimension> claims (an estimate for progress: writers get it wrong)."""
        with self._book.open(self._sheet) as member:
            head = member.read(CHUNK)
        parser = _parser()
        found: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == _MAIN + "dimension":
                found.append(attrs.get("ref", ""))
            if tag in (_MAIN + "dimension", _MAIN + "sheetData"):
                raise _Enough

        parser.StartElementHandler = start
        try:
            parser.Parse(head, False)
        except _Enough:
            pass
        except expat.ExpatError as exc:
            raise XlsxError(str(exc)) from exc
        digits = "".join(c for c in (found[0].split(":")[-1] if found else "") if c.isdigit())
        return int(digits) if digits else None

    # -- rows ------------------------------------------------------------------------------------
    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column from A) for every row the sheet holds, in order."""
        done: list[tuple[int, list[Any]]] = []
        values: list[Any] = []
        parts: list[str] = []
        number = index = 0
        kind = style = None
        wanted = phonetic = False
        strings, value_of = self._strings, self._value

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal number, index, kind, style, wanted, phonetic
            if tag == _C:
                ref = attrs.get("r")
                index = _column(ref) if ref else len(values)
                kind = attrs.get("t")
                style = attrs.get("s")
            elif tag == _V or (tag == _T and not phonetic):
                wanted = True
            elif tag == _ROW:
                number = int(attrs.get("r") or number + 1)
                values.clear()
            elif tag == _RPH:
                phonetic = True

        def end(tag: str) -> None:
            nonlocal wanted, phonetic
            if tag == _C:
                raw = "".join(parts) if len(parts) != 1 else parts[0]
                parts.clear()
                if kind == "s" and raw:
                    value: Any = strings[int(raw)]
                elif kind == "inlineStr":
                    value = raw
                else:
                    value = value_of(kind, raw, style)
                if index == len(values):
                    values.append(value)
                elif index > len(values):
                    values.extend([None] * (index - len(values)))
                    values.append(value)
                else:
                    values[index] = value
            elif tag in (_V, _T):
                wanted = False
            elif tag == _ROW:
                done.append((number, values.copy()))
            elif tag == _RPH:
                phonetic = False

        def data(text: str) -> None:
            if wanted:
                parts.append(text)

        def ready() -> Iterator[tuple[int, list[Any]]]:
            yield from done
            done.clear()

        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
        try:
            with self._book.open(self._sheet) as member:
                yield from _feed(member, parser, ready)
        except (zipfile.BadZipFile, ValueError, IndexError, EOFError) as exc:
            raise XlsxError(str(exc)) from exc

    def _value(self, kind: str | None, raw: str, style: str | None) -> Any:
        if kind == "inlineStr":
            return raw
        if not raw:
            return None
        if kind is None or kind == "n":
            number: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            if style and int(style) in self._dates:
                try:
                    return from_excel(number, self._epoch, timedelta=int(style) in self._durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a date format on a number no date has: what openpyxl gives
            return number
        if kind == "s":
            return self._strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)

    def close(self) -> None:
        self._book.close()
