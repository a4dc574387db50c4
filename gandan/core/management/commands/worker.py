from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý công việc nền / run the background job worker and scheduler (huey)."

    def handle(self, *args, **options) -> None:
        call_command("run_huey")
