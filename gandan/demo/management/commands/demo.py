from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from gandan.core.progress import progress_bar
from gandan.demo.build import DEFAULT_PROVINCE, DEFAULT_SEED, DemoError, DemoSummary, build_demo, province_of
from gandan.demo.logins import DEMO_PASSWORD, LoginRow, demo_logins_ensure
from gandan.demo.run import run_builders
from gandan.org.services import load_official_units
from gandan.people.enrolment_codes import code_issue
from gandan.people.models import User
from gandan.people.otp import OTP_ROLES, enrolled


def _vi(n: int) -> str:
    """A count grouped the way the active language writes it (1.086 in Vietnamese, 1,086 in English)."""
    return formats.number_format(n, force_grouping=True)


class Command(BaseCommand):
    help = gettext_lazy("Tạo dữ liệu mẫu trên tỉnh Tuyên Quang thật (thôn, hộ, cơ quan, chi bộ, cán bộ) và tài "  # type: ignore[assignment]  # Django reads it when it builds the parser
                        "khoản mẫu; chạy lại không làm gì thêm")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=gettext("hạt giống ngẫu nhiên"))
        parser.add_argument("--scale", type=float, default=1.0,
                            help=gettext("hệ số số hộ (mặc định 1)"))

    def handle(self, *args, **options) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(gettext("Không tạo dữ liệu mẫu trên hệ thống thật"))
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
        with bar(len(data) + sum(len(p["wards"]) for p in data), gettext("Đơn vị hành chính")) as b:
            load_official_units(progress=b.update)

    def _summary(self, s: DemoSummary) -> None:
        counts = gettext("%(villages)s thôn, %(households)s hộ, %(agencies)s cơ quan, %(cells)s chi bộ, "
                         "%(cadres)s cán bộ") % {
            "villages": _vi(s.villages), "households": _vi(s.households), "agencies": _vi(s.agencies),
            "cells": _vi(s.party_cells), "cadres": _vi(s.cadres)}
        facts = {"province": s.province, "seconds": formats.number_format(round(s.seconds, 1), 1), "counts": counts}
        if s.created:
            self.stdout.write(self.style.SUCCESS(
                gettext("Đã tạo dữ liệu mẫu %(province)s trong %(seconds)s giây: %(counts)s") % facts))
        else:
            self.stdout.write(gettext("Dữ liệu mẫu %(province)s đã có, không tạo lại: %(counts)s") % facts)

    def _logins(self, rows: list[LoginRow]) -> None:
        if not rows:
            self.stdout.write(gettext("Chưa có tài khoản mẫu"))
            return
        header = (gettext("Tên đăng nhập"), gettext("Mật khẩu"), gettext("Vai trò"), gettext("Phạm vi"),
                  gettext("Cán bộ"))
        table = [(r.username, r.password, f"{r.role_label} ({r.role})", r.scope, r.cadre or "—")
                 for r in rows]
        widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(gettext("Tài khoản mẫu")))
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for cells in table:
            self.stdout.write(line(cells))
        self.stdout.write(gettext("Mật khẩu chung %(password)s (nếu chưa đổi)") % {"password": DEMO_PASSWORD})
        two_step = [r.username for r in rows if r.role in OTP_ROLES]
        if two_step and settings.GANDAN_OTP_REQUIRED:  # people/otp.py; README "Demo logins"
            self.stdout.write(gettext(
                "Tài khoản %(names)s (quản trị, cấp ủy, lãnh đạo) phải bật xác thực hai bước ở lần đăng nhập đầu: "
                "cần một ứng dụng xác thực trên điện thoại. Để thử mà không cần: GANDAN_OTP_REQUIRED=0 make run")
                % {"names": ", ".join(two_step)})
            self._enrolment_codes(two_step)

    def _enrolment_codes(self, usernames: list[str]) -> None:
        """A fresh one-time enrolment code for each two-step login without an authenticator (issued by the
        system, as `gandan otp-enrolment-code` does; a run replaces the previous run's unused codes)."""
        pending = [u for u in User.objects.filter(username__in=usernames).order_by("username") if not enrolled(u)]
        if not pending:
            return
        self.stdout.write(gettext(
            "Mã đăng ký dùng một lần (trang đăng ký ứng dụng xác thực hỏi mã này sau mật khẩu; hết hạn sau "
            "%(hours)s giờ; chạy lại `gandan demo` để có mã mới):") % {"hours": settings.GANDAN_OTP_ENROLMENT_HOURS})
        for user in pending:
            code, _expires = code_issue(actor=None, user=user)
            self.stdout.write(f"  {user.username}  {code}")
