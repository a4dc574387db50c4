"""What the evaluation does when units merge (the `unit_merged` receiver, connected in apps.py).

A month still being evaluated moves with its agency to the target (its sheets are scoped by the
agency's unit); concluded months and the years stay as the source's history, which lies under the
target's path. Every row now under the target carries the target's province, so that a transfer of
a whole commune across provinces leaves no sheet on a dead province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gandan.evaluation.models import (
    AgencyMonth,
    AnnualResult,
    EvaluationReminder,
    MonthStatus,
    Reopening,
    Sheet,
    SheetStatus,
    TitleProposal,
)
from gandan.org.models import AdminUnit
from gandan.org.rekey import rekey_moved


def on_unit_merged(sender: object, *, source: AdminUnit, target: AdminUnit,
                   progress: Callable[[int], object] | None = None, **_: object) -> dict[str, Any]:
    months = AgencyMonth.objects.filter(unit=source).exclude(status=MonthStatus.CONCLUDED).update(unit=target)
    sheets = Sheet.objects.filter(unit=source).exclude(status=SheetStatus.CONCLUDED).update(unit=target)
    rekeyed = 0
    for model, path in ((AgencyMonth, "unit__path"), (Sheet, "unit__path"), (AnnualResult, "unit__path"),
                        (Reopening, "agency_month__unit__path"),
                        (EvaluationReminder, "agency_month__unit__path"), (TitleProposal, "annual__unit__path")):
        rekeyed += rekey_moved(model.objects.all(), source=source, target=target, path_field=path,
                               progress=progress)
    return {"evaluation.months": months, "evaluation.sheets": sheets, "evaluation.rekeyed": rekeyed}
