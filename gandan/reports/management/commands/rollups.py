from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from gandan.core.months import add_months
from gandan.core.progress import progress_bar
from gandan.org.models import AdminUnit
from gandan.reports import measures, periods
from gandan.reports.rollup import rebuild_month


class Command(BaseCommand):
    help = gettext_lazy("Bảng tổng hợp: `rollups rebuild --period 2026-10` tính lại số liệu của kỳ.")  # type: ignore[assignment]  # Django reads it when it builds the parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q4, 2026, 2026-03..2026-05")
        parser.add_argument("--province", help=gettext_lazy("mã tỉnh (mặc định: mọi tỉnh)"))

    def handle(self, *args, **options) -> None:
        try:
            period = periods.parse(options["period"])
        except ValueError:
            raise CommandError(_("Kỳ không hợp lệ: %(text)s (ví dụ 2026-10, 2026-Q4, 2026)")
                               % {"text": options["period"]}) from None
        province_ids = None
        if options["province"]:
            found = AdminUnit.objects.filter(level__code="province", code=options["province"]).first()
            if found is None:
                raise CommandError(_("Không có tỉnh mã %(code)s") % {"code": options["province"]})
            province_ids = [found.pk]
        written = 0
        steps = period.months * len(measures.SOURCES)
        with progress_bar(steps, _("Tính lại bảng tổng hợp %(period)s") % {"period": period.label()},
                          enabled=options["verbosity"] > 0) as bar:
            for i in range(period.months):
                written += rebuild_month(add_months(period.start, i), province_ids=province_ids,
                                         step=lambda _name: _advance(bar))
        self.stdout.write(self.style.SUCCESS(_("Đã ghi %(rows)d dòng tổng hợp cho %(months)d tháng")
                                             % {"rows": written, "months": period.months}))


def _advance(bar: tqdm) -> None:
    bar.update(1)
