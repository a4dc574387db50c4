from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy


class Command(BaseCommand):
    help = gettext_lazy("Chạy tiến trình xử lý công việc nền và lịch chạy định kỳ (huey).")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def handle(self, *args, **options) -> None:
        call_command("run_huey")
