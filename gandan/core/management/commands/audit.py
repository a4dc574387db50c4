from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.core.progress import progress_bar


class Command(BaseCommand):
    help = "Nhật ký thao tác / audit log: `audit verify` checks the hash chain."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options) -> None:
        total = AuditEvent.objects.count()
        with progress_bar(total, "audit verify", enabled=options["verbosity"] > 0) as bar:
            report = verify_chain(progress=bar.update)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(
                f"Chuỗi nhật ký toàn vẹn: {report.checked} sự kiện / audit chain intact: {report.checked} events"))
            return
        raise CommandError(f"Chuỗi nhật ký bị phá tại sự kiện #{report.broken_at} / audit chain broken at event "
                           f"#{report.broken_at}: {report.reason} ({report.checked} events verified before it)")
