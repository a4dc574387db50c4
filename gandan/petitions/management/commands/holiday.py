"""Nationwide corrections of the public holidays, for an official announcement the `holidays`
package does not know yet: `gandan holiday set 2029-04-30 "Nghỉ hoán đổi"` (a day off),
`gandan holiday set 2029-04-28 "Làm bù" --working-day` (a Saturday worked),
`gandan holiday list [--year 2029]`, `gandan holiday remove 2029-04-30`. A province corrects its
own calendar on its settings page."""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.petitions import config_services, public_holidays
from gandan.petitions.models import Holiday


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("Ngày phải dạng YYYY-MM-DD, ví dụ 2029-04-30.")) from exc


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # a property, so that the help is in the user's language
        return _("Điều chỉnh lịch nghỉ lễ toàn quốc (thêm, liệt kê, bỏ).")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        put = sub.add_parser("set")
        put.add_argument("date", type=_date)
        put.add_argument("name")
        put.add_argument("--working-day", action="store_true")
        listing = sub.add_parser("list")
        listing.add_argument("--year", type=int)
        remove = sub.add_parser("remove")
        remove.add_argument("date", type=_date)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "set":
            try:
                row = config_services.holiday_set(actor=None, province=None, date=options["date"],
                                                  name=options["name"], working_day=options["working_day"])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(_("Đã lưu: %(row)s.") % {"row": row}))
        elif action == "list":
            year = options["year"] or timezone.localdate().year
            years = range(year, year + 1)
            lines = list(public_holidays.days_off(years).items())
            lines += [(day, _("Làm việc bù cho một ngày nghỉ")) for day in public_holidays.weekend_workdays(years)]
            lines += [(row.date, f"{row.name} ({_('toàn quốc')}: {_('làm việc') if row.working_day else _('nghỉ')})")
                      for row in Holiday.objects.nationwide().filter(date__year=year)]
            for day, text in sorted(lines):
                self.stdout.write(f"{day:%d/%m/%Y}  {text}")
        else:
            found = Holiday.objects.nationwide().filter(date=options["date"]).first()
            if found is None:
                raise CommandError(_("Không có điều chỉnh toàn quốc ngày %(date)s.") % {
                    "date": f"{options['date']:%d/%m/%Y}"})
            config_services.holiday_remove(actor=None, holiday=found)
            self.stdout.write(_("Đã bỏ điều chỉnh ngày %(date)s.") % {"date": f"{found.date:%d/%m/%Y}"})
