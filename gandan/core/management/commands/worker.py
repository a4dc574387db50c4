from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy


class Command(BaseCommand):
    help = gettext_lazy("Chạy tiến trình xử lý công việc nền và lịch chạy định kỳ (huey).")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def add_arguments(self, parser) -> None:
        # Several consumers on one Redis: only one keeps the schedule, or each periodic job runs once per
        # consumer (README "Running in production").
        parser.add_argument("--no-periodic", action="store_true",
                            help=gettext_lazy("Không xếp lịch công việc định kỳ (khi một tiến trình khác đã làm)."))
        parser.add_argument("--workers", type=int, default=None,
                            help=gettext_lazy("Số luồng xử lý (mặc định theo cấu hình HUEY)."))

    def handle(self, *args, **options) -> None:
        from gandan.core import outbox

        outbox.drain()  # the jobs kept while the queue was unreachable; then the minute's job (core/tasks.py)
        extra = {"workers": options["workers"]} if options["workers"] else {}
        call_command("run_huey", periodic=not options["no_periodic"], **extra)
