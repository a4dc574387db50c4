from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandan.org.management.commands.import_units import ImportCommand
from gandan.people.imports import CADRE_COLUMNS, cadre_import


class Command(ImportCommand):
    help = gettext_lazy("Nhập cán bộ từ tệp .xlsx/.csv, trọn gói")  # type: ignore[assignment]  # Django reads it when it builds the parser
    label = gettext_lazy("cán bộ")
    columns = CADRE_COLUMNS
    service = staticmethod(cadre_import)
