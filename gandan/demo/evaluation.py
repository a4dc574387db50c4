"""Seven months of evaluation in the demo province (run by `gandan demo`, after plans).

The agencies of the five featured communes open each month through the service (set-based, with the
evidence of plans, field work, concerns and campaigns): the six months before last are concluded —
every cadre self-assessed, the assessor confirming or lowering a criterion with a reason, the
leadership concluding within the cap (the lowest excellent above the line lowered to good) — and last
month is open, half-way through the steps: some cadres have self-assessed, some sheets are assessed,
some wait, so that "who is late" has names. The demo cadre's own agency has every other sheet assessed
and the demo cadre's open, so that step 1, step 2 and step 3 can be shown on it. Points are drawn from
random.Random(f"{seed}:evaluation:…") and written in bulk; a province that already has sheets is left
alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gandan.core import audit
from gandan.demo.build import FEATURED_COMMUNES
from gandan.evaluation import evidence, rules, scoring, services
from gandan.evaluation.models import AgencyMonth, Sheet, SheetScore, SheetStatus
from gandan.org.models import AdminUnit
from gandan.people.models import User
from gandan.plans.periods import previous_month

CONCLUDED = 6
ProgressFactory = Callable[[int | None, str], AbstractContextManager[Any]]
REASON = "Chưa đủ minh chứng cho mức điểm tự chấm"


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(":".join([str(seed), "evaluation", *map(str, key)]))


def _points(rng: random.Random, top: Decimal, suggested: str | None) -> Decimal:
    if suggested is not None and rng.random() < 0.7:
        return Decimal(suggested)
    return min(top, (top * Decimal(rng.choice([70, 80, 85, 90, 95, 100])) / 100).quantize(Decimal("0.5")))


class _Builder:
    def __init__(self, province: AdminUnit, seed: int, today: dt.date) -> None:
        self.province, self.seed = province, seed
        last = previous_month(today.replace(day=1))
        self.open_month = last
        self.months = [last]
        for _ in range(CONCLUDED):
            self.months.insert(0, previous_month(self.months[0]))
        self.units = list(AdminUnit.objects.filter(province=province, level__code="commune",
                                                   code__in=FEATURED_COMMUNES.get(province.code, ())))
        demo_cadre = User.objects.filter(username="canbo.nghiathuan").values_list("cadre_id", flat=True).first()
        self.demo_cadre: int | None = demo_cadre
        self.counts = {"concluded": 0, "lowered": 0, "self": 0, "assessed": 0, "waiting": 0}

    def score(self, sheets: list[Sheet], *, assessed: bool) -> None:
        """Step 1 (and 2 when `assessed`) for these sheets, written in bulk with their totals: the criteria
        rows are replaced (one DELETE, one INSERT), the uniform fields set by one UPDATE."""
        rows: list[SheetScore] = []
        for sheet in sheets:
            rubric = scoring.rubric_rules(sheet.rubric)
            suggested = sheet.evidence.get("suggested") or {}
            for criterion in rubric.general:
                rng = _rng(self.seed, sheet.cadre_id, sheet.month, criterion.code)
                mine = _points(rng, criterion.max_points, suggested.get(criterion.code))
                row = SheetScore(sheet=sheet, code=criterion.code, self_points=mine)
                if assessed:
                    lowered = rng.random() < 0.12 and mine >= 1
                    row.assessor_points, row.reason = (mine - 1, REASON) if lowered else (mine, "")
                    self.counts["lowered"] += lowered
                rows.append(row)
            points = {r.code: r.points for r in rows[-len(rubric.general):]}
            result = rules.score(points, evidence.task_figures(sheet.evidence), rubric)
            sheet.general_points, sheet.task_points, sheet.total = result.general, result.tasks, result.total
            sheet.computed_grade = rules.graded(result.total, rubric)
        SheetScore.objects.filter(sheet__in=sheets).delete()
        SheetScore.objects.bulk_create(rows, batch_size=2000)
        Sheet.objects.bulk_update(sheets, ["general_points", "task_points", "total", "computed_grade"],
                                  batch_size=500)
        now = timezone.now()
        Sheet.objects.filter(pk__in=[s.pk for s in sheets]).update(
            status=SheetStatus.ASSESSED if assessed else SheetStatus.SELF_ASSESSED,
            self_comment="Hoàn thành các nhiệm vụ được giao trong tháng.", self_assessed_at=now,
            assessed_at=now if assessed else None)

    def month(self, month: dt.date) -> None:
        for unit in self.units:
            services.month_open(actor=None, unit=unit, month=month)
        sheets = list(Sheet.objects.filter(month=month, agency_month__unit__in=self.units)
                      .select_related("rubric", "agency_month").order_by("pk"))
        if month != self.open_month:
            self.score(sheets, assessed=True)
            for agency_month in AgencyMonth.objects.filter(month=month, unit__in=self.units).select_related("unit"):
                self.conclude(agency_month)
            return
        demo_agency = next((s.agency_month_id for s in sheets if s.cadre_id == self.demo_cadre), None)
        draw = {s.pk: _rng(self.seed, "open", s.cadre_id).random() for s in sheets}
        assessed = [s for s in sheets if s.cadre_id != self.demo_cadre
                    and (s.agency_month_id == demo_agency or draw[s.pk] < 0.3)]
        self_only = [s for s in sheets if s not in assessed and s.cadre_id != self.demo_cadre and draw[s.pk] < 0.7]
        self.score(assessed, assessed=True)
        self.score(self_only, assessed=False)
        self.counts["assessed"], self.counts["self"] = len(assessed), len(self_only)
        self.counts["waiting"] = len(sheets) - len(assessed) - len(self_only)

    def conclude(self, agency_month: AgencyMonth) -> None:
        """Step 3 by the system, within the cap: those above the line lowered to good first."""
        sheets = services.month_sheets(agency_month)
        preview = scoring.conclusion(agency_month, sheets)
        rubric = scoring.rubric_rules(sheets[0].rubric) if sheets else None
        grades: dict[int, str] = {}
        if rubric is not None and preview.above:
            entries = [rules.Entry(r.sheet.pk, r.grade, r.score.total if r.score else Decimal(0), r.sheet.task_group)
                       for r in preview.rows if r.grade]
            grades = {int(e.key): e.grade for e in rules.within_cap(entries, rubric)}  # type: ignore[call-overload]  # sheet ids
        services.month_conclude(actor=None, month=agency_month, grades=grades)
        self.counts["concluded"] += 1


def extend(province: AdminUnit, *, seed: int, progress: ProgressFactory,
           today: dt.date | None = None) -> dict[str, int]:
    """Add six concluded months and one open to the demo province; {} when it already has sheets."""
    if Sheet.objects.filter(province=province).exists():
        return {}
    today = today or timezone.localdate()
    builder = _Builder(province, seed, today)
    with progress(len(builder.months), gettext("Đánh giá, xếp loại")) as bar:
        for month in builder.months:
            builder.month(month)
            bar.update(1)
    sheets = Sheet.objects.filter(province=province).count()
    audit.record(actor=None, action="demo.evaluation", obj=province,
                 after={"seed": seed, "from": builder.months[0], "open": builder.open_month, "sheets": sheets,
                        **builder.counts})
    return {gettext("phiếu đánh giá"): sheets, gettext("tháng đã kết luận"): CONCLUDED,
            gettext("tháng đang đánh giá"): 1}
