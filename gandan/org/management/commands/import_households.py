from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandan.org.imports import HOUSEHOLD_COLUMNS, household_import
from gandan.org.management.commands.import_units import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy("Nhập hộ gia đình từ tệp .xlsx/.csv, trọn gói")  # type: ignore[assignment]  # Django reads it when it builds the parser
    label = gettext_lazy("hộ gia đình")
    columns = HOUSEHOLD_COLUMNS
    service = staticmethod(household_import)
