from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core.progress import progress_bar
from gandan.org.models import AdminUnit
from gandan.reports import document, periods
from gandan.reports.models import PeriodReport
from gandan.reports.queries import children_of


class Command(BaseCommand):
    help = gettext_lazy("Báo cáo định kỳ của một đơn vị: `report --unit MÃ --period 2026-10 --format docx -o TỆP`; "  # type: ignore[assignment]  # Django reads it when it builds the parser
                        "với --each-below, một tệp cho mỗi đơn vị trực thuộc, vào thư mục -o.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--unit", required=True, help=gettext_lazy("mã đơn vị"))
        parser.add_argument("--level",
                            help=gettext_lazy("cấp của đơn vị khi mã trùng ở nhiều cấp (province, commune…)"))
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q4, 2026")
        parser.add_argument("--format", choices=document.FORMATS, default="docx")
        parser.add_argument("-o", "--output", required=True, help=gettext_lazy("tệp (hoặc thư mục với --each-below)"))
        parser.add_argument("--each-below", action="store_true",
                            help=gettext_lazy("mỗi đơn vị trực thuộc một tệp, thay cho đơn vị"))

    def handle(self, *args, **options) -> None:
        try:
            period = periods.parse(options["period"])
        except ValueError:
            raise CommandError(_("Kỳ không hợp lệ: %(text)s (ví dụ 2026-10, 2026-Q4, 2026)")
                               % {"text": options["period"]}) from None
        unit = self._unit(options["unit"], options["level"])
        fmt = options["format"]
        output = Path(options["output"])
        units = list(children_of(unit)) if options["each_below"] else [unit]
        if options["each_below"]:
            output.mkdir(parents=True, exist_ok=True)
        numbers = dict(PeriodReport.objects.filter(unit__in=units, period=period.key).values_list("unit_id", "number"))
        today = timezone.localdate()
        with progress_bar(len(units), _("Báo cáo %(period)s") % {"period": period.label()},
                          enabled=options["verbosity"] > 0 and len(units) > 1) as bar:
            for each in units:
                target = output / f"bao-cao-{each.code}-{period.key}.{fmt}" if options["each_below"] else output
                try:
                    content = document.render(each, period, fmt, number=numbers.get(each.pk) or 1, on=today)
                except document.PdfUnavailable as exc:
                    raise CommandError(str(exc)) from None
                target.write_bytes(content)
                bar.update(1)
        self.stdout.write(self.style.SUCCESS(_("Đã ghi %(count)d tệp báo cáo") % {"count": len(units)}))

    def _unit(self, code: str, level: str | None) -> AdminUnit:
        found = AdminUnit.objects.filter(code=code, valid_to__isnull=True).select_related("level", "parent")
        if level:
            found = found.filter(level__code=level)
        units = list(found[:2])
        if not units:
            raise CommandError(_("Không có đơn vị mã %(code)s") % {"code": code})
        if len(units) > 1:
            raise CommandError(_("Mã %(code)s có ở nhiều cấp: hãy thêm --level") % {"code": code})
        return units[0]
