"""Opening a month through COPY (PostgreSQL) stores exactly what bulk_create stores: the same sheets,
criteria rows, evidence and audit events, for the same world."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
from django.db import connection, transaction

from gandan.core.models import AuditEvent
from gandan.evaluation import services, sheet_writes, task_groups
from gandan.evaluation.models import Sheet, SheetScore
from gandan.evaluation.testing import MONTH
from gandan.people.testing import make_cadre
from gandan.plans.testing import assess, assign, finish, on

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's bulk path")]
D = dt.date


def _stored(world: Any, monkeypatch: pytest.MonkeyPatch, *, copy: bool) -> dict[str, Any]:
    """Open March for commune A through one path, read back what it stored, and roll it back."""
    with transaction.atomic():
        with monkeypatch.context() as m:
            m.setattr(sheet_writes, "insert_sheets", functools.partial(sheet_writes.insert_sheets, copy=copy))
            with on(D(2026, 4, 2)):
                services.month_open(actor=world.commune_a_leader, unit=world.commune_a, month=MONTH)
        sheets: list[dict[str, Any]] = [dict(s) for s in Sheet.objects.filter(month=MONTH).order_by("cadre_id")
                                        .values()]
        ids = [s.pop("id") for s in sheets]
        for s in sheets:
            s["agency_month_id"] = None  # a new agency month each time; its agency is the sheet's
        scores = list(SheetScore.objects.filter(sheet_id__in=ids).order_by("sheet__cadre_id", "code")
                      .values("sheet__cadre_id", "code", "self_points", "assessor_points", "reason"))
        events = sorted(after["sheets"] for after in AuditEvent.objects.filter(action="evaluation.month.open")
                        .values_list("after", flat=True) if after is not None)
        assert ids == sorted(ids) and sheets
        transaction.set_rollback(True)
    return {"sheets": sheets, "scores": scores, "events": events}


def test_the_copy_path_stores_what_bulk_create_stores(world, monkeypatch):
    manager = make_cadre(world.agency_a, "Lê Văn Quản")
    managed = make_cadre(world.agency_a, "Phạm Thị Được", manager=manager)
    make_cadre(world.agency_a, "Vũ Thị Nghỉ", left_on=D(2026, 2, 1))
    task_groups.task_groups_set(actor=None, agency=world.agency_a, groups={managed.pk: "Kế toán “tổng hợp”"})
    accepted = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="2")
    finish(accepted, world.commune_a_cadre, D(2026, 3, 18))
    assess(accepted, world.commune_a_leader, D(2026, 3, 19))
    failed = assign(world, given=D(2026, 3, 3), due=D(2026, 3, 25), weight="1.5")
    finish(failed, world.commune_a_cadre, D(2026, 3, 24))
    assess(failed, world.commune_a_leader, D(2026, 3, 26), outcome="failed", note="Sai số liệu")
    assign(world, given=D(2026, 3, 4), due=D(2026, 3, 30), cadre_id=managed.pk)

    by_copy = _stored(world, monkeypatch, copy=True)
    by_orm = _stored(world, monkeypatch, copy=False)
    assert by_copy == by_orm
    sheet = next(s for s in by_copy["sheets"] if s["cadre_id"] == world.cadre_a.pk)
    assert sheet["evidence"]["tasks"]["quality_ids"] == [accepted.pk] and sheet["evidence"]["tasks"]["failures"] == 1
    assert next(s for s in by_copy["sheets"] if s["cadre_id"] == managed.pk)["assessor_id"] == manager.pk
    assert len(by_copy["scores"]) == 4 * len(by_copy["sheets"])
