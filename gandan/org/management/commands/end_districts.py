from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.core.progress import progress_bar
from gandan.org.models import AdminUnit
from gandan.org.services import DISTRICT, MergeError, district_end


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # Django reads it when it builds the parser
        "Kết thúc các huyện của một tỉnh: `gandan end-districts --province 08 --date 01/07/2025` đưa các xã "
        "lên trực thuộc tỉnh; các huyện được giữ lại trong lịch sử.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", required=True, help=_("mã tỉnh"))
        parser.add_argument("--date", required=True, help=_("ngày có hiệu lực, dd/mm/yyyy"))
        parser.add_argument("--yes", action="store_true", help=_("không hỏi xác nhận"))

    def handle(self, *args, **options) -> None:
        try:
            effective = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError(_("Ngày không hợp lệ, cần dd/mm/yyyy")) from exc
        province = AdminUnit.objects.filter(level__code="province", code=options["province"]).first()
        if province is None:
            raise CommandError(_("Không tìm thấy mã: %(codes)s") % {"codes": options["province"]})
        districts = list(province.children.filter(level__code=DISTRICT, valid_to__isnull=True).order_by("code"))
        if not districts:
            raise CommandError(_("%(unit)s không còn huyện nào") % {"unit": province.name})
        self.stdout.write(f"{', '.join(d.name for d in districts)} → {province.name} ({effective:%d/%m/%Y})")
        if not options["yes"] and input(_("Xác nhận sáp nhập? [c/K]") + " ").strip().lower() not in {"y", "c"}:
            raise CommandError(_("Đã hủy"))
        try:
            with progress_bar(None, gettext_lazy("Chuyển dữ liệu"), enabled=options["verbosity"] > 0) as bar:
                for district in districts:
                    district_end(actor=None, district=district, effective=effective, progress=bar.update)
        except MergeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã kết thúc %(count)d huyện") % {"count": len(districts)}))
