from __future__ import annotations

from gandan.org.management.commands.import_units import ImportCommand
from gandan.people.imports import CADRE_COLUMNS, cadre_import


class Command(ImportCommand):
    help = "Nhập cán bộ từ tệp .xlsx/.csv, trọn gói / import cadres from a file, all or nothing"
    label = "cán bộ / cadres"
    columns = CADRE_COLUMNS
    service = staticmethod(cadre_import)
