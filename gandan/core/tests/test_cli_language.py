"""The `gandan` command speaks the terminal's language when the product has it, else Vietnamese."""

from __future__ import annotations

import pytest
from django.utils import translation

from gandan.cli import main, terminal_language

SUPPORTED = {"vi", "en"}


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, None),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANG": "fr_FR.UTF-8"}, None),
    ({"LANGUAGE": "fr:en", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_GB.UTF-8"}, "vi"),
    ({"GANDAN_LANGUAGE": "vi", "LANG": "en_US.UTF-8"}, "vi"),
    ({"LC_MESSAGES": "en_US@euro"}, "en"),
])
def test_the_terminal_language_is_read_as_gettext_reads_it(environ, expected):
    assert terminal_language(environ, SUPPORTED) == expected


@pytest.mark.parametrize(("lang", "message"), [
    ("C.UTF-8", "Ngày không hợp lệ, cần dd/mm/yyyy"),
    ("en_US.UTF-8", "The date is not valid: it must be dd/mm/yyyy"),
])
def test_a_command_answers_in_the_terminal_language_only(monkeypatch, capsys, lang, message):
    for name in ("GANDAN_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", lang)
    try:
        with pytest.raises(SystemExit):
            main(["gandan", "merge-units", "02341", "--into", "02345", "--level", "commune", "--date", "1 July",
                  "--skip-checks"])
    finally:
        translation.deactivate()
    assert capsys.readouterr().err.strip() == f"CommandError: {message}"
