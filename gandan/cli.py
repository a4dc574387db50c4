"""The `gandan` console command: manage.py with the project's settings, and dashed names.

    gandan load-units      gandan demo      gandan audit verify      gandan worker      gandan runserver

It speaks the terminal's language when the product has it (GANDAN_LANGUAGE, else the gettext
variables LANGUAGE, LC_ALL, LC_MESSAGES, LANG: `LANG=en_US.UTF-8 gandan demo` answers in English),
and Vietnamese otherwise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

LANGUAGE_VARIABLES = ("GANDAN_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language(environ: Mapping[str, str], supported: set[str]) -> str | None:
    """The first language named by the first variable that is set, if the product speaks it.
    `LANGUAGE` may list several ("en:vi"); "C" and "POSIX" name no language."""
    for name in LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in supported:
                return code
        return None
    return None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
    except ImproperlyConfigured:  # Django's own command line reports it, as it always has
        execute_from_command_line(argv)
        return
    language = terminal_language(os.environ, {code for code, _name in settings.LANGUAGES})
    if language is not None:
        translation.activate(language)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
