"""Who hears about a concern, as Notification rows written in the transaction of the step (so a
step and its notices stand or fall together). E-mail is not sent: the inbox shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from gandan.org.models import AdminUnit, Agency, AgencyKind
from gandan.people.models import Cadre, Role, RoleGrant, User
from gandan.petitions.models import Notification, Petition


def leaders_of(unit: AdminUnit, agency: Agency | None) -> list[int]:
    """User ids of the holder's leadership: leaders and committees granted on the unit itself, or, for a
    department, its handlers and its head (a cadre of the department with no manager)."""
    if agency is not None and agency.kind == AgencyKind.DEPARTMENT:
        handlers = RoleGrant.objects.active().filter(role=Role.DEPARTMENT_HANDLER, user__cadre__agency=agency)
        ids = set(handlers.values_list("user_id", flat=True))
        ids |= set(User.objects.filter(cadre__agency=agency, cadre__manager__isnull=True, is_active=True,
                                       cadre__left_on__isnull=True).values_list("id", flat=True))
        return sorted(ids)
    grants = RoleGrant.objects.active().filter(unit=unit, role__in=[Role.LEADER, Role.COMMITTEE])
    return sorted(set(grants.values_list("user_id", flat=True)))


def users_of(cadres: Iterable[Cadre | None]) -> list[int]:
    ids = [c.pk for c in cadres if c is not None]
    if not ids:
        return []
    return list(User.objects.filter(cadre_id__in=ids, is_active=True).values_list("id", flat=True))


def send(petition: Petition, kind: str, message: str, recipients: Iterable[int], now: dt.datetime) -> int:
    unique = sorted(set(recipients))
    Notification.objects.bulk_create([
        Notification(province_id=petition.province_id, recipient_id=user_id, petition=petition, kind=kind,
                     message=message[:400], created_at=now) for user_id in unique])
    return len(unique)


def unread_for(user: object) -> Q:
    return Q(recipient=user, read_at__isnull=True)
