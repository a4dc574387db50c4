from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gandan.org.models import AdminUnit
from gandan.org.services import MergeError, unit_merge


class Command(BaseCommand):
    help = ("Sáp nhập đơn vị / merge units: `gandan merge-units --level commune --into 02345 --date 01/07/2025 "
            "02341 02344` moves children, households, agencies, cadres and grants; the old units stay as "
            "dated predecessors.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("sources", nargs="+", help="codes of the units that cease to exist")
        parser.add_argument("--into", required=True, help="code of the unit that receives them")
        parser.add_argument("--level", required=True, help="level code (province, district, commune, village)")
        parser.add_argument("--date", required=True, help="effective date, dd/mm/yyyy")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options) -> None:
        try:
            effective = dt.datetime.strptime(options["date"], "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError("Ngày không hợp lệ, cần dd/mm/yyyy / the date must be dd/mm/yyyy") from exc
        units = {u.code: u for u in AdminUnit.objects.filter(
            level__code=options["level"], code__in=[*options["sources"], options["into"]])}
        missing = [c for c in [*options["sources"], options["into"]] if c not in units]
        if missing:
            raise CommandError(f"Không tìm thấy mã / unknown codes: {', '.join(missing)}")
        target = units[options["into"]]
        sources = [units[c] for c in options["sources"]]
        self.stdout.write(f"{', '.join(s.name for s in sources)} → {target.name} ({effective:%d/%m/%Y})")
        if not options["yes"] and input("Xác nhận sáp nhập? / Confirm merge? [y/N] ").strip().lower() not in {"y", "c"}:
            raise CommandError("Đã hủy / cancelled")
        try:
            unit_merge(actor=None, sources=sources, target=target, effective=effective)
        except MergeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Đã sáp nhập / merged"))
