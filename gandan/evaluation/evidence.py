"""The evidence a month's sheets are pre-filled with, for a whole set of cadres at once: one grouped
statement per evidence kind, never a query per cadre.

- tasks: `plans.figures.figures_for` (three grouped sums, then the ids behind them);
- field work: field days and visits (one GROUP BY over visits) and meetings of followed units
  attended (one over attendance), against each cadre's quota (fieldwork's own rules: compliance.py);
- concerns held: the stints each cadre held that started in the month (one GROUP BY), as the rates
  count them — answered on time, citizens' satisfaction (petitions/rates.py);
- campaigns: the events each cadre was named in (one GROUP BY over EventCadre).

Each kind is a JSON-ready dict per cadre with the figures, a `ratio` in [0, 1] when one can be
computed (or null), and the ids or the filter that lists the records behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from gandan.campaigns.models import EventCadre
from gandan.evaluation.rules import TaskFigures
from gandan.fieldwork import compliance
from gandan.fieldwork.models import Attendance, AttendanceStatus, Visit, VisitKind
from gandan.fieldwork.queries import quota_rules
from gandan.people.models import Cadre
from gandan.petitions import figures as petition_figures
from gandan.petitions.rates import Figures
from gandan.plans.figures import CadreFigures, figures_for


def _num(value: Decimal | float | None) -> str | None:
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.0001")))


def task_evidence(f: CadreFigures) -> dict[str, Any]:
    return {
        "assigned": str(f.assigned), "completed": str(f.completed), "at_quality": str(f.completed_at_quality),
        "on_time": str(f.completed_on_time), "quality_deduction": str(f.quality_deduction),
        "progress_deduction": str(f.progress_deduction), "failures": f.failures, "delays": f.delays,
        "assigned_ids": f.assigned_ids, "completed_ids": f.completed_ids, "quality_ids": f.quality_ids,
        "on_time_ids": f.on_time_ids, "failure_ids": [list(p) for p in f.failure_ids],
        "delay_ids": [list(p) for p in f.delay_ids],
        "exemptions": [{"task_id": e.task_id, "kind": e.kind, "event_id": e.event_id, "cause_id": e.cause_id,
                        "units": str(e.units)} for e in f.exemptions],
    }


def _fieldwork(cadres: QuerySet[Cadre], rows: Sequence[Mapping[str, Any]], start: dt.date,
               end: dt.date) -> dict[int, dict[str, Any]]:
    ids = cadres.values("pk")
    counts: dict[int, dict[str, int]] = {}
    visits = (Visit.objects.filter(cadre__in=ids, date__gte=start, date__lte=end).order_by().values("cadre_id")
              .annotate(n=Count("pk"), days=Count("date", filter=Q(kind=VisitKind.FIELD_DAY), distinct=True)))
    for row in visits:
        counts.setdefault(row["cadre_id"], {}).update(visits=row["n"], field_days=row["days"])
    meetings = (Attendance.objects.filter(cadre__in=ids, date__gte=start, date__lte=end, as_follower=True).order_by()
                .values("cadre_id").annotate(n=Count("pk"), present=Count("pk", filter=Q(
                    status=AttendanceStatus.PRESENT))))
    for row in meetings:
        counts.setdefault(row["cadre_id"], {}).update(meetings_expected=row["n"], meetings_attended=row["present"])
    rules = quota_rules({r["province_id"] for r in rows})
    found = {}
    for r in rows:
        rule = compliance.rule_for(r["unit__level__code"], r["employment_type"], rules[r["province_id"]])
        activity = compliance.Activity(**counts.get(r["pk"], {}))
        result = compliance.assess(activity, rule) if rule is not None else None
        done = result.measures if result else ()
        measures = [{"name": m.name, "done": m.done, "target": m.target, "pct": m.pct} for m in done]
        ratio = (Decimal(sum(m.pct for m in done)) / len(done) / 100) if done else None
        found[r["pk"]] = {"field_days": activity.field_days, "visits": activity.visits,
                          "meetings_expected": activity.meetings_expected,
                          "meetings_attended": activity.meetings_attended, "measures": measures,
                          "met": bool(result and result.met), "ratio": _num(ratio)}
    return found


def _petitions(cadres: QuerySet[Cadre], start: dt.date, end: dt.date) -> dict[int, dict[str, Any]]:
    stints = petition_figures.holdings_in(start, end).filter(cadre__in=cadres.values("pk"))
    found = {}
    for cadre_id, f in petition_figures.grouped(stints, "cadre_id").items():
        found[cadre_id] = _petition_entry(f)
    return found


def _petition_entry(f: Figures) -> dict[str, Any]:
    rates = [r.value for r in (f.on_time, f.satisfaction) if r.value is not None]
    return {"received": f.received, "resolved_on_time": f.resolved_on_time, "settled": f.settled,
            "rated": f.rated, "satisfied": f.satisfied, "on_time_pct": f.on_time.percent,
            "satisfaction_pct": f.satisfaction.percent,
            "ratio": _num(sum(rates) / len(rates)) if rates else None}


def _campaigns(cadres: QuerySet[Cadre], start: dt.date, end: dt.date) -> dict[int, dict[str, Any]]:
    rows = (EventCadre.objects.filter(cadre__in=cadres.values("pk"), date__gte=start, date__lte=end).order_by()
            .values("cadre_id").annotate(events=Count("event_id", distinct=True),
                                         campaigns=Count("campaign_id", distinct=True)))
    return {r["cadre_id"]: {"events": r["events"], "campaigns": r["campaigns"], "ratio": "1.0000"} for r in rows}


EMPTY = {"fieldwork": {"ratio": None, "measures": []}, "petitions": {"received": 0, "ratio": None},
         "campaigns": {"events": 0, "campaigns": 0, "ratio": "0.0000"}}


def evidence_for(cadres: QuerySet[Cadre], start: dt.date, end: dt.date) -> dict[int, dict[str, Any]]:
    """cadre id → {"tasks": …, "fieldwork": …, "petitions": …, "campaigns": …} for [start, end]."""
    rows = list(cadres.values("pk", "province_id", "unit__level__code", "employment_type"))
    ids = [r["pk"] for r in rows]
    tasks = figures_for(ids, start, end, among=cadres.values("pk"))
    fieldwork = _fieldwork(cadres, rows, start, end)
    petitions = _petitions(cadres, start, end)
    campaigns = _campaigns(cadres, start, end)
    return {pk: {"tasks": task_evidence(tasks[pk]), "fieldwork": fieldwork.get(pk, EMPTY["fieldwork"]),
                 "petitions": petitions.get(pk, EMPTY["petitions"]),
                 "campaigns": campaigns.get(pk, EMPTY["campaigns"])} for pk in ids}


def task_figures(evidence: Mapping[str, Any]) -> TaskFigures:
    """The rules' TaskFigures from a sheet's stored task evidence."""
    t = evidence.get("tasks") or {}
    return TaskFigures(*(Decimal(str(t.get(name, "0"))) for name in (
        "assigned", "completed", "at_quality", "on_time", "quality_deduction", "progress_deduction")))


def suggested_points(evidence: Mapping[str, Any], kind: str, max_points: Decimal) -> Decimal | None:
    """The points the evidence suggests for a criterion it feeds: its ratio × the maximum."""
    ratio = (evidence.get(kind) or {}).get("ratio")
    if ratio is None:
        return None
    return (Decimal(str(ratio)) * max_points).quantize(Decimal("0.01"))


def merge(many: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The sum of several cadres' task evidence (a unit's line for a leader's direction criteria)."""
    total = {name: Decimal(0) for name in ("assigned", "completed", "at_quality", "on_time", "quality_deduction",
                                           "progress_deduction")}
    for one in many:
        t = one.get("tasks") or {}
        for name in total:
            total[name] += Decimal(str(t.get(name, "0")))
    return {"tasks": {name: str(value) for name, value in total.items()}}
