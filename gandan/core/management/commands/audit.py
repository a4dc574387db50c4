from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gandan.core.audit import chain_heads, verify_chains
from gandan.core.models import AuditEvent
from gandan.core.progress import progress_bar


class Command(BaseCommand):
    help = gettext_lazy("Nhật ký thao tác: `audit verify` kiểm tra chuỗi băm của từng tỉnh; `audit heads` in "  # type: ignore[assignment]  # Django reads it when it builds the parser
                        "sự kiện cuối của mỗi chuỗi để lưu giữ bên ngoài cơ sở dữ liệu.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify", "heads"])

    def handle(self, *args, **options) -> None:
        if options["action"] == "heads":
            for chain, (seq, digest) in chain_heads().items():
                self.stdout.write(f"{chain}\t{seq}\t{digest}")
            return
        total = AuditEvent.objects.count()
        with progress_bar(total, "audit verify", enabled=options["verbosity"] > 0) as bar:
            report = verify_chains(progress=bar.update)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(ngettext(
                "Chuỗi nhật ký toàn vẹn: %(count)d sự kiện", "Chuỗi nhật ký toàn vẹn: %(count)d sự kiện",
                report.checked) % {"count": report.checked}))
            return
        for broken in report.breaks:
            self.stderr.write(_("Chuỗi %(chain)s bị phá tại sự kiện #%(event)s: %(reason)s") % {
                "chain": broken.chain, "event": broken.event_id, "reason": broken.reason})
        raise CommandError(_("Chuỗi nhật ký bị phá tại sự kiện #%(event)s: %(reason)s (%(count)d sự kiện trước đó "
                             "đã kiểm tra)") % {"event": report.broken_at, "reason": report.reason,
                                                "count": report.checked})
