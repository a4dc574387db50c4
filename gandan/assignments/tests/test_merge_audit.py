"""The merge's audit event names every grant (people) and assignment (assignments) it changed."""

from __future__ import annotations

import datetime as dt

from gandan.assignments.testing import make_assignment
from gandan.core.models import AuditEvent
from gandan.org.services import unit_merge
from gandan.people.models import RoleGrant

MERGE_DAY = dt.date(2025, 7, 1)


def test_the_merge_audit_names_every_grant_and_assignment_changed(world):
    assignment = make_assignment(world.cadre_b, unit=world.village_b1)
    on_b = make_assignment(world.cadre_province, unit=world.commune_b)
    unit_merge(actor=None, sources=[world.commune_b], target=world.commune_a, effective=MERGE_DAY)
    moved = AuditEvent.objects.get(action="unit.merge").after["moved"]
    grant = RoleGrant.objects.get(user=world.commune_b_admin)
    assert moved["grants_changed"] == [{"grant": grant.pk, "user": world.commune_b_admin.pk, "role": grant.role,
                                        "from_unit": world.commune_b.pk, "to_unit": world.commune_a.pk}]
    assert {"assignment": on_b.pk, "change": "moved", "to_unit": world.commune_a.pk} in moved["assignments_changed"]
    assert assignment.pk not in {row["assignment"] for row in moved["assignments_changed"]}  # its village moved
