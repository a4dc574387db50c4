"""One language at a time: no Vietnamese sentence glued to its English ("Đã hủy / cancelled").

Every user-facing string is one translatable Vietnamese string whose English lives in the catalogue
(test_catalogue.py). This test reads the string literals of gandan/**/*.py (docstrings and tests
left out), the text of the templates and the string literals of the static scripts, and fails on a
Vietnamese half followed by " / " and a half that is English: only ASCII (placeholders, codes and
paths aside) with at least one word that cannot be a Vietnamese syllable ("cancelled", "is", "unit").
So "Xã / phường", "Lần đi cơ sở / tháng", "dd/mm/yyyy", "km/h", "a / b" and URLs pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # gandan/

# Files allowed, for a time, to carry glued strings (none now): each entry names who unglues it,
# and the last test says when it can go.
LEFT_TO_OTHERS: dict[str, str] = {}

VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
# A Vietnamese syllable written without its marks: initial consonant(s), vowels, a permitted final.
SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
# What is neither Vietnamese nor English: template tags, placeholders, identifiers, file names, numbers.
NOT_WORDS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%\(\w+\)[sdif]|\{[^{}]*\}|\$\{[^}]*\}"
                       r"|\w*_\w*|\S*[/\\.]\S*\.\w+|\S*\d\S*")
WORD = re.compile(r"[A-Za-z]+")
SEPARATOR = " / "


def is_english(half: str) -> bool:
    half = NOT_WORDS.sub(" ", half)
    if any(ord(ch) > 127 and ch.isalpha() for ch in half):
        return False
    words = [w for w in WORD.findall(half) if not w.isupper()]  # acronyms (GPS, PDF) say nothing
    return any(len(w) >= 2 and not SYLLABLE.fullmatch(w.lower()) for w in words)


def is_glued(text: str) -> bool:
    halves = text.split(SEPARATOR)
    return any(VIETNAMESE.search(left) and is_english(right) for left, right in zip(halves, halves[1:], strict=False))


def _python_strings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))  # a docstring
        if isinstance(node, ast.JoinedStr):  # an f-string is read whole, its pieces not again
            skipped.update(id(value) for value in ast.walk(node) if value is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value


JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
TAG = re.compile(r"<[^>]*>")


def _script_strings(path: Path) -> Iterator[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    for match in JS_STRING.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group()[1:-1]


def _template_text(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for piece in TAG.split(line):
            yield number, piece


def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or parts[0] in {"locale", "formats"}:
            continue
        if path.suffix == ".py" or (path.suffix in {".html", ".txt"} and "templates" in parts) or (
                path.suffix == ".js" and "static" in parts and "vendor" not in parts):
            yield path


def glued_strings(path: Path) -> list[str]:
    read = {".py": _python_strings, ".js": _script_strings}.get(path.suffix, _template_text)
    return [f"{path.relative_to(ROOT)}:{line}: {text[:100]!r}" for line, text in read(path) if is_glued(text)]


@pytest.mark.parametrize("text", [
    "Tháng 11/2026 đã khóa sổ, không thể ghi hay sửa / month 11/2026 is locked",
    "Đã hủy / cancelled",
    "Không có mạng / offline",
    "Thôn, bản / villages",
    "Ô {} bị bỏ trống; cột này bắt buộc / {} is empty; it is required",
    "Không tìm thấy / Not found",
    "Mức độ / urgency",
])
def test_the_detector_finds_a_glued_message(text):
    assert is_glued(text)


@pytest.mark.parametrize("text", [
    "Xã / phường",
    "Ngày xuống thôn, bản / tháng",
    "Ngày không hợp lệ, cần dd/mm/yyyy",
    "Tốc độ 40 km/h",
    "Xem https://gandan.example/a/b / trang chủ",
    "Đã đi {{ done }} / {{ target }} lần",
    "Tỷ lệ tiếp nhận = đã nhận xử lý / tiếp nhận",
    "Tải tệp mẫu / PDF",
    "Cột ma_can_bo / ma_dia_ban",
    "Village / residential group",
    "100 * done / target",
])
def test_the_detector_lets_vietnamese_alternatives_paths_and_formulas_pass(text):
    assert not is_glued(text)


def test_no_new_glued_string_in_code_templates_or_scripts():
    found = [hit for path in _sources() if str(path.relative_to(ROOT)) not in LEFT_TO_OTHERS
             for hit in glued_strings(path)]
    assert found == [], ("one translatable Vietnamese string per message, its English in the catalogue:\n"
                         + "\n".join(found))


def test_every_file_left_to_others_still_needs_it():
    clean = [name for name in LEFT_TO_OTHERS if not (ROOT / name).exists() or not glued_strings(ROOT / name)]
    assert clean == [], "no glued string left: remove these from LEFT_TO_OTHERS: " + ", ".join(clean)
