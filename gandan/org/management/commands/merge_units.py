from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core.progress import progress_bar
from gandan.org.models import AdminUnit
from gandan.org.services import MergeError, unit_merge


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # Django reads it when it builds the parser
        "Sáp nhập đơn vị: `gandan merge-units --level commune --into 02345 --date 01/07/2025 02341 02344` "
        "chuyển đơn vị cấp dưới, hộ, cơ quan, cán bộ và quyền sang đơn vị nhận; đơn vị cũ được giữ lại "
        "làm đơn vị tiền thân có ngày hết hiệu lực. Ngày trong tương lai: việc sáp nhập được lên lịch và "
        "thực hiện vào đúng ngày.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("sources", nargs="+", help=_("mã các đơn vị không còn tồn tại"))
        parser.add_argument("--into", required=True, help=_("mã đơn vị nhận"))
        parser.add_argument("--level", required=True, help=_("mã cấp (province, district, commune, village)"))
        parser.add_argument("--date", required=True, help=_("ngày có hiệu lực, dd/mm/yyyy"))
        parser.add_argument("--yes", action="store_true", help=_("không hỏi xác nhận"))

    def handle(self, *args, **options) -> None:
        try:
            effective = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError(_("Ngày không hợp lệ, cần dd/mm/yyyy")) from exc
        units = {u.code: u for u in AdminUnit.objects.filter(
            level__code=options["level"], code__in=[*options["sources"], options["into"]])}
        missing = [c for c in [*options["sources"], options["into"]] if c not in units]
        if missing:
            raise CommandError(_("Không tìm thấy mã: %(codes)s") % {"codes": ", ".join(missing)})
        target = units[options["into"]]
        sources = [units[c] for c in options["sources"]]
        self.stdout.write(f"{', '.join(s.name for s in sources)} → {target.name} ({effective:%d/%m/%Y})")
        if not options["yes"] and input(_("Xác nhận sáp nhập? [c/K]") + " ").strip().lower() not in {"y", "c"}:
            raise CommandError(_("Đã hủy"))
        try:
            with progress_bar(None, gettext_lazy("Chuyển dữ liệu"), enabled=options["verbosity"] > 0) as bar:
                unit_merge(actor=None, sources=sources, target=target, effective=effective, progress=bar.update)
        except MergeError as exc:
            raise CommandError(str(exc)) from exc
        if effective > dt.date.today():
            self.stdout.write(self.style.SUCCESS(_("Sẽ sáp nhập vào ngày %(date)s") % {
                "date": f"{effective:%d/%m/%Y}"}))
        else:
            self.stdout.write(self.style.SUCCESS(_("Đã sáp nhập")))
