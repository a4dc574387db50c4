"""The English catalogue covers every Vietnamese UI string (the source language is Vietnamese)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATE_TAG = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
PY_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy|pgettext)\(\s*(["'])(.+?)(?<!\\)\1\s*[,)]""")


def _catalogue() -> dict[str, object]:
    with PO.open("rb") as fh:
        catalogue = read_po(fh, locale="en")
    return {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}


# Every app and the shared templates: a new app is covered as soon as it exists.
NOT_CODE = {"locale", "formats"}


def _in_translated_part(path: Path) -> bool:
    return path.relative_to(ROOT).parts[0] not in NOT_CODE


def _used_msgids() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*"):
        if "tests" in path.parts or path.suffix not in {".html", ".py"} or not _in_translated_part(path):
            continue
        text = path.read_text(encoding="utf-8")
        pattern = TEMPLATE_TAG if path.suffix == ".html" else PY_CALL
        # {% translate %} looks a template's "%" up as "%%", as makemessages writes it
        found.update(match.group(2).replace("%", "%%") if path.suffix == ".html" else match.group(2)
                     for match in pattern.finditer(text))
    return found


def test_every_entry_is_translated_and_none_is_fuzzy():
    used = _used_msgids()
    untranslated = [key for key, m in _catalogue().items() if key in used and (
        "fuzzy" in m.flags or not (m.string if isinstance(m.string, str) else all(m.string)))]
    assert untranslated == []


def test_every_string_the_code_marks_for_translation_is_in_the_catalogue():
    missing = sorted(_used_msgids() - set(_catalogue()))
    assert missing == [], "run `gandan makemessages -l en --no-location` and translate: " + ", ".join(missing)
