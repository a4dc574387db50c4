"""Reads on the register of exemplary models, from the user's scope, and the register of decisions
that the evaluation app reads for emulation.

`decisions_register` is that contract: the praise and commendation decisions (with recognition if
asked) in a subtree of units and a period, each with its model's holder — a cadre (individual) or
an agency (collective) when the model names one — or, on no model, the cadre commended. It is the one
register: evaluation (above campaigns) writes its cadres' commendations into it (`cadre_commend`) and
reads them back from it for the year's emulation review; nothing here knows evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gandan.campaigns.models import Decision, ExemplaryModel, ModelStatus
from gandan.core.paths import path_q, path_within
from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.models import User

COMMENDATION_STATUSES = (ModelStatus.PRAISED, ModelStatus.COMMENDED)


def decisions_register(*, unit_paths: Iterable[str] | None, date_from: dt.date | None = None,
                       date_to: dt.date | None = None, statuses: Iterable[str] = COMMENDATION_STATUSES,
                       cadre_ids: Iterable[int] | None = None) -> QuerySet[Decision]:
    """Decisions on models of units under `unit_paths`, and commendations of their cadres on no model,
    dated in [date_from, date_to] (contract for evaluation). `cadre_ids`: of those cadres, as the
    model's holder or as the cadre commended; with them, `unit_paths` None reads the cadres' decisions
    wherever they were recorded (a cadre's own, before a transfer too)."""
    qs = Decision.objects.filter(status__in=list(statuses))
    if unit_paths is not None:
        paths = list(unit_paths)
        qs = qs.filter(path_q(paths, "model__unit__path") | path_q(paths, "unit__path"))
    elif cadre_ids is None:
        raise ValueError("decisions_register: name the units or the cadres")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if cadre_ids is not None:
        ids = list(cadre_ids)
        qs = qs.filter(Q(model__cadre_id__in=ids) | Q(cadre_id__in=ids))
    return qs.select_related("model", "model__cadre", "model__agency", "model__unit", "cadre",
                             "unit").order_by("date", "id")


def models_visible(user: User) -> QuerySet[ExemplaryModel]:
    return scoping.filter_by_scope(ExemplaryModel.objects.all(), user, "unit__path")


def model_get(user: User, pk: int) -> ExemplaryModel:
    return scoping.get_visible_or_404(
        models_visible(user).select_related("unit", "campaign", "cadre", "agency"), user, pk=pk)


@dataclass(frozen=True)
class ModelFilters:
    unit: AdminUnit | None = None
    status: str = ""
    field: str = ""
    holder_kind: str = ""
    campaign_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def models_filtered(user: User, filters: ModelFilters) -> QuerySet[ExemplaryModel]:
    """Models registered in the period (registered_on) matching the filters, newest first."""
    qs = models_visible(user)
    if filters.unit is not None:
        qs = qs.filter(path_q([filters.unit.path], "unit__path"))
    for name in ("status", "field", "holder_kind"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.campaign_id:
        qs = qs.filter(campaign_id=filters.campaign_id)
    if filters.date_from:
        qs = qs.filter(registered_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(registered_on__lte=filters.date_to)
    return qs.select_related("unit", "campaign").order_by("-registered_on", "-id")


@dataclass(frozen=True)
class ModelCounts:
    total: int
    by_status: dict[str, int]
    by_field: dict[str, int]
    by_kind: dict[str, int]
    by_unit: list[tuple[AdminUnit, int]]
    commendations: dict[str, int]  # holder kind → praise/commendation decisions ("lượt")


def model_counts(user: User, filters: ModelFilters) -> ModelCounts:
    """Counts of the filtered models by status, field, holder kind and unit (children of the chosen unit),
    and the praise and commendation decisions among them (in the period, by decision date)."""
    qs = models_filtered(user, filters).order_by()

    def grouped(name: str) -> dict[str, int]:
        return {r[name]: r["n"] for r in qs.values(name).annotate(n=Count("pk"))}

    by_unit_rows = list(qs.values("unit__path").annotate(n=Count("pk")))
    roots = scoping.top_units(user)
    around = filters.unit or (roots[0] if len(roots) == 1 else None)
    children = list(AdminUnit.objects.filter(parent=around).order_by("name")) if around else roots
    by_unit = [(c, sum(r["n"] for r in by_unit_rows if path_within(r["unit__path"], c.path))) for c in children]
    decisions = Decision.objects.filter(model__in=models_filtered(
        user, ModelFilters(unit=filters.unit, field=filters.field, holder_kind=filters.holder_kind,
                           campaign_id=filters.campaign_id)).values("pk"), status__in=COMMENDATION_STATUSES)
    if filters.date_from:
        decisions = decisions.filter(date__gte=filters.date_from)
    if filters.date_to:
        decisions = decisions.filter(date__lte=filters.date_to)
    commendations = {r["model__holder_kind"]: r["n"] for r in
                     decisions.order_by().values("model__holder_kind").annotate(n=Count("pk"))}
    by_status = grouped("status")
    return ModelCounts(sum(by_status.values()), by_status, grouped("field"), grouped("holder_kind"),
                       [(u, n) for u, n in by_unit if n], commendations)
