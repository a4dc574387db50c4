"""The evaluation month at bench scale (issue 15): open and pre-fill the month's sheets for every
cadre of every province (`evaluation.services.month_open`, set-based: one statement per evidence
kind), then rank the agencies (`evaluation.queries.agency_ranking`, one GROUP BY) for a leader of
each province. Between the two, the bench concludes every sheet with one UPDATE (steps 1–3 are
people's work, one agency at a time, not a batch); that step is timed apart and not counted.

The per-cadre cost is measured here and extrapolated linearly to 2 million cadres: the opening is a
few GROUP BYs and bulk INSERTs over the month's rows, so it grows with the cadres and their month's
activity, not with the history; the growth table (two scales) shows whether that holds.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

NATIONAL_CADRES = 2_000_000


def _rubric_for(first: dt.date) -> None:
    """A national civil servants' rubric valid on `first` (the shipped one starts in 2026; gen writes 2025)."""
    from gandan.evaluation.models import Rubric, RubricKind
    from gandan.evaluation.rubric import DECREE_335

    if not Rubric.objects.filter(kind=RubricKind.CIVIL_SERVANT, province__isnull=True, valid_from__lte=first).exists():
        Rubric.objects.create(province=None, agency=None, kind=RubricKind.CIVIL_SERVANT, valid_from=first,
                              name="bench", body=DECREE_335)


def _forget(first: dt.date) -> None:
    """The month's sheets of an earlier run on a kept database (BENCH_REUSE=1), so it opens again."""
    from gandan.evaluation.models import AgencyMonth, Reopening, Sheet, SheetScore

    SheetScore.objects.filter(sheet__month=first).delete()
    Sheet.objects.filter(month=first).delete()
    Reopening.objects.filter(agency_month__month=first).delete()
    AgencyMonth.objects.filter(month=first).delete()


def _leader(province: Any) -> Any:
    from gandan.people.models import Role, RoleGrant, User

    user, _new = User.objects.get_or_create(username=f"bench-lead-{province.pk}")
    RoleGrant.objects.get_or_create(user=user, role=Role.LEADER, unit=province)
    return user


def _conclude_all(first: dt.date) -> None:
    """Every sheet of the month concluded with a total and a grade in one UPDATE (not timed as the month)."""
    from django.db import connection

    from gandan.evaluation.models import AgencyMonth, MonthStatus, Sheet, SheetStatus

    sheets, months = Sheet._meta.db_table, AgencyMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {sheets} SET total = 60 + (id * 7919) %% 40, status = %s,"
            " grade = CASE WHEN (id * 7919) %% 40 >= 30 THEN 'excellent' WHEN (id * 7919) %% 40 >= 10 THEN 'good'"
            " ELSE 'done' END WHERE month = %s", [SheetStatus.CONCLUDED, first])
        cursor.execute(f"UPDATE {months} SET status = %s, concluded_at = now(), published = true WHERE month = %s",
                       [MonthStatus.CONCLUDED, first])


def measure_evaluation_month(first: dt.date) -> dict[str, Any]:
    from django.db.models import Q

    from gandan.evaluation import queries, services
    from gandan.evaluation.models import Sheet
    from gandan.org.models import AdminUnit
    from gandan.people.models import Cadre

    _rubric_for(first)
    _forget(first)
    provinces = list(AdminUnit.objects.filter(pk__in=Cadre.objects.values("province_id")).order_by("pk"))
    cadres = (Cadre.objects.filter(agency__isnull=False).filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
              .count())
    t0 = time.perf_counter()
    months = sum(len(services.month_open(actor=None, unit=p, month=first)) for p in provinces)
    opened = time.perf_counter() - t0
    sheets = Sheet.objects.filter(month=first).count()
    t1 = time.perf_counter()
    _conclude_all(first)
    concluded = time.perf_counter() - t1
    leaders = [_leader(p) for p in provinces]
    t2 = time.perf_counter()
    ranked = sum(len(queries.agency_ranking(user, first)) for user in leaders)
    ranking = time.perf_counter() - t2
    per_cadre_ms = (opened + ranking) * 1000 / sheets if sheets else 0.0
    return {"month": f"{first:%Y-%m}", "cadres": cadres, "sheets": sheets, "agency_months": months,
            "agencies_ranked": ranked, "open_s": opened, "rank_s": ranking, "conclude_update_s": concluded,
            "per_cadre_ms": per_cadre_ms, "extrapolated_2m_cadres_s": per_cadre_ms * NATIONAL_CADRES / 1000}
