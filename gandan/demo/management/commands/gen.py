from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy

from gandan.core.progress import progress_bar
from gandan.demo.gen import GenError, generate


class Command(BaseCommand):
    help = gettext_lazy("Sinh dữ liệu giả lập để đo hiệu năng: tỷ lệ 1 là một tỉnh trung bình, 34 là cả nước")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help=gettext("số tỉnh (có thể là phân số)"))
        parser.add_argument("--seed", type=int, default=1, help=gettext("hạt giống ngẫu nhiên"))
        parser.add_argument("--year", type=int, default=2025, help=gettext("năm của các hoạt động"))
        parser.add_argument("--provinces", type=int, default=None,
                            help=gettext("chia tỷ lệ cho chừng ấy tỉnh (mặc định: tỷ lệ làm tròn lên)"))

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(gettext("Không tạo dữ liệu mẫu trên hệ thống thật"))
        enabled = options["verbosity"] > 0

        def bar(total: int | None, desc: str):
            return progress_bar(total, desc, enabled=enabled)

        try:
            summary = generate(scale=options["scale"], seed=options["seed"], year=options["year"], bar=bar,
                               provinces=options["provinces"])
        except GenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(gettext("%(provinces)d tỉnh, %(communes)d xã, %(seconds).1f giây") % {
            "provinces": summary.provinces, "communes": summary.communes, "seconds": summary.seconds})
        for table, (rows, seconds) in summary.tables.items():
            rate = f"{formats.number_format(round(rows / seconds), force_grouping=True)}/s" if seconds else ""
            timing = f"{seconds:8.1f} s {rate:>12}" if seconds else ""
            self.stdout.write(f"  {table:20} {formats.number_format(rows, force_grouping=True):>14} {timing}")
