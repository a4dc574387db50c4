from __future__ import annotations

from gandan.org.imports import HOUSEHOLD_COLUMNS, household_import
from gandan.org.management.commands.import_units import ImportCommand


class Command(ImportCommand):
    help = "Nhập hộ gia đình từ tệp .xlsx/.csv, trọn gói / import households from a file, all or nothing"
    label = "hộ gia đình / households"
    columns = HOUSEHOLD_COLUMNS
    service = staticmethod(household_import)
