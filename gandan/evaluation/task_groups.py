"""The groups of similar tasks of an agency's cadres (Decree 335: the excellent cap holds within the
agency and within each group). The agency's leadership or administrators set them, all the agency's
cadres in one submit; the months still open take the new groups at once (a few UPDATEs, one per group),
and every month opened later copies them onto its sheets (services.month_open). A concluded month keeps
the groups it was concluded with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.core import audit
from gandan.core.collation import vi_order
from gandan.evaluation import access
from gandan.evaluation.models import MonthStatus, Sheet, TaskGroup
from gandan.org.models import Agency
from gandan.people import scoping
from gandan.people.models import Cadre, Role, User

GROUP_ROLES = frozenset({*access.LEAD_ROLES, Role.UNIT_ADMIN})
MAX_NAME = 60


def may_set(user: User | None, agency: Agency) -> bool:
    return (user is not None and user.is_authenticated and user.is_active
            and scoping.has_role(user, GROUP_ROLES, agency.unit))


def agencies_managed(user: User) -> QuerySet[Agency]:
    """The agencies whose groups the user sees and sets: under the units they lead or administer."""
    return scoping.filter_by_scope(Agency.objects.select_related("unit"), user, "unit__path", GROUP_ROLES)


def agency_get(user: User, pk: int) -> Agency:
    return scoping.get_visible_or_404(agencies_managed(user), user, pk=pk)


def cadres_with_groups(agency: Agency) -> list[tuple[Cadre, str]]:
    """The agency's current cadres, each with their group ("" for none), in Vietnamese order."""
    groups = dict(TaskGroup.objects.filter(agency=agency).values_list("cadre_id", "name"))
    cadres = Cadre.objects.filter(agency=agency, left_on__isnull=True).order_by(vi_order("full_name"), "pk")
    return [(c, groups.get(c.pk, "")) for c in cadres[:5000]]


def groups_of(agency_ids: Iterable[int]) -> dict[int, str]:
    """cadre id → group, for the agencies a month opens (one query)."""
    return dict(TaskGroup.objects.filter(agency_id__in=list(agency_ids)).values_list("cadre_id", "name"))


def task_groups_set(*, actor: User | None, agency: Agency, groups: Mapping[int, str]) -> dict[int, str]:
    """Set the group of each cadre named (cadre id → name; "" takes the cadre out of any group); the
    months still open take them. Returns the agency's groups after."""
    if actor is not None and not may_set(actor, agency):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị của đơn vị được xếp nhóm nhiệm vụ tương đồng."))
    names = {int(pk): " ".join(str(name).split()) for pk, name in groups.items()}
    members = set(Cadre.objects.filter(agency=agency, pk__in=list(names)).values_list("pk", flat=True))
    errors = {f"cadre_{pk}": [_("Cán bộ %(id)s không thuộc cơ quan này.") % {"id": pk}]
              for pk in sorted(set(names) - members)}
    errors.update({f"cadre_{pk}": [_("Tên nhóm tối đa %(n)s ký tự.") % {"n": MAX_NAME}]
                   for pk, name in names.items() if len(name) > MAX_NAME or "\x00" in name})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = dict(TaskGroup.objects.select_for_update().filter(agency=agency).values_list("cadre_id", "name"))
        changed = {pk: name for pk, name in names.items() if before.get(pk, "") != name}
        TaskGroup.objects.filter(agency=agency, cadre_id__in=[pk for pk, n in changed.items() if not n]).delete()
        now = timezone.now()
        TaskGroup.objects.bulk_create(
            [TaskGroup(province_id=agency.province_id or agency.unit_id, unit_id=agency.unit_id, agency=agency,
                       cadre_id=pk, name=name, set_by=actor, set_at=now) for pk, name in changed.items() if name],
            update_conflicts=True, unique_fields=["agency", "cadre"], update_fields=["name", "set_by", "set_at"])
        by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in changed.items():
            by_name[name].append(pk)
        open_sheets = Sheet.objects.filter(agency_month__agency=agency).exclude(
            agency_month__status=MonthStatus.CONCLUDED)
        for name, ids in by_name.items():
            open_sheets.filter(cadre_id__in=ids).update(task_group=name)
        after = dict(TaskGroup.objects.filter(agency=agency).values_list("cadre_id", "name"))
        if changed:
            audit.record(actor=actor, action="evaluation.task_groups.set", obj=agency,
                         province_id=agency.province_id or agency.unit_id,
                         before={str(pk): before.get(pk, "") for pk in changed},
                         after={str(pk): name for pk, name in changed.items()})
    return after
