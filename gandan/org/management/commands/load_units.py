from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH, __version__

from gandan.core.progress import progress_bar
from gandan.org.services import load_official_units


class Command(BaseCommand):
    help = gettext_lazy("Nạp 34 tỉnh và 3.321 xã (2025) từ gói vietnam-provinces (chạy lại không tạo trùng).")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def handle(self, *args, **options) -> None:
        data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
        total = len(data) + sum(len(p["wards"]) for p in data)
        with progress_bar(total, f"vietnam-provinces {__version__}", enabled=options["verbosity"] > 0) as bar:
            counts = load_official_units(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            _("Đơn vị hành chính: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi") % counts))
