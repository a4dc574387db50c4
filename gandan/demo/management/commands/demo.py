from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from gandan.core.progress import progress_bar
from gandan.demo.build import DEFAULT_PROVINCE, DEFAULT_SEED, DemoError, DemoSummary, build_demo, province_of
from gandan.demo.logins import DEMO_PASSWORD, LoginRow, demo_logins_ensure
from gandan.demo.run import run_builders
from gandan.org.services import load_official_units


def _vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu trên tỉnh Tuyên Quang thật (thôn, hộ, cơ quan, chi bộ, cán bộ) và tài khoản "
            "mẫu; chạy lại không làm gì thêm / build deterministic demo data and demo logins (idempotent).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="hạt giống ngẫu nhiên / random seed")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="hệ số số hộ / multiplies the number of households (default 1)")

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Không tạo dữ liệu mẫu trên hệ thống thật / "
                               "refusing to build demo data in production")
        enabled = options["verbosity"] > 0

        def bar(total: int | None, desc: str):
            return progress_bar(total, desc, enabled=enabled)

        if province_of(DEFAULT_PROVINCE) is None:
            self._load_units(bar)
        try:
            summary = build_demo(seed=options["seed"], scale=options["scale"], progress=bar)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self._summary(summary)
        province = province_of(DEFAULT_PROVINCE)
        assert province is not None  # loaded above
        for module, counts in run_builders(province, seed=options["seed"], progress=bar).items():
            if counts:
                self.stdout.write(f"  {module}: " + ", ".join(f"{_vi(n)} {what}" for what, n in counts.items()))
        if options["verbosity"] > 1 and summary.stages:
            self.stdout.write("  " + ", ".join(f"{stage} {sec:.1f} s" for stage, sec in summary.stages.items()))
        self._logins(demo_logins_ensure())

    def _load_units(self, bar) -> None:
        data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
        with bar(len(data) + sum(len(p["wards"]) for p in data), "Đơn vị hành chính / official units") as b:
            load_official_units(progress=b.update)

    def _summary(self, s: DemoSummary) -> None:
        counts = (f"{_vi(s.villages)} thôn/villages, {_vi(s.households)} hộ/households, "
                  f"{_vi(s.agencies)} cơ quan/agencies, {_vi(s.party_cells)} chi bộ/party cells, "
                  f"{_vi(s.cadres)} cán bộ/cadres")
        if s.created:
            seconds = f"{s.seconds:.1f}"
            self.stdout.write(self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu {s.province} trong {seconds.replace('.', ',')} giây / "
                f"demo data built in {seconds} s: {counts}"))
        else:
            self.stdout.write(f"Dữ liệu mẫu {s.province} đã có, không tạo lại / "
                              f"demo data already present: {counts}")

    def _logins(self, rows: list[LoginRow]) -> None:
        if not rows:
            self.stdout.write("Chưa có tài khoản mẫu / no demo logins")
            return
        header = ("Tên đăng nhập / username", "Mật khẩu / password", "Vai trò / role", "Phạm vi / scope",
                  "Cán bộ / cadre")
        table = [(r.username, r.password, f"{r.role_label} ({r.role})", r.scope, r.cadre or "—")
                 for r in rows]
        widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Tài khoản mẫu / demo logins"))
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for cells in table:
            self.stdout.write(line(cells))
        self.stdout.write(f"Mật khẩu chung {DEMO_PASSWORD} (nếu chưa đổi) / shared password {DEMO_PASSWORD} "
                          "(unless changed)")
