"""One demo login per role, each over a real scope of Tuyên Quang and, where it fits, linked to a
demo cadre. Created once with the shared demo password; a later run only re-adds what is missing
(a user, a grant, the cadre link) and never resets a password someone has changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from gandan.core import audit
from gandan.demo.build import DEFAULT_PROVINCE, province_of
from gandan.org.models import AdminUnit, AgencyKind
from gandan.people.models import Cadre, Role, RoleGrant, User

if TYPE_CHECKING:
    from gandan.core.audit import Actor

DEMO_PASSWORD = "GanDan@2026"


@dataclass(frozen=True)
class DemoLogin:
    """`scope` is a commune code, or "" for the province; the cadre is the first (by code) of the
    scope's agency of `agency_kind` whose name starts with `agency_name` and position with `position`."""

    username: str
    role: str
    scope: str
    agency_kind: str
    agency_name: str
    position: str
    about_vi: str
    about_en: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("tinhuy", Role.COMMITTEE, "", AgencyKind.PARTY_COMMITTEE, "Tỉnh ủy", "Bí thư Tỉnh ủy",
              "Ban Thường vụ Tỉnh ủy: xem và chỉ đạo toàn tỉnh",
              "provincial standing board: sees and steers all"),
    DemoLogin("lanhdao.nghiathuan", Role.LEADER, "00889", AgencyKind.PEOPLES_COMMITTEE, "", "Chủ tịch UBND",
              "Chủ tịch UBND xã: giao việc, đánh giá", "commune chairman: assigns and evaluates work"),
    DemoLogin("canbo.nghiathuan", Role.CADRE, "00889", AgencyKind.PEOPLES_COMMITTEE, "",
              "Công chức Địa chính - Xây dựng",
              "Công chức xã: kế hoạch, đi cơ sở, tự đánh giá",
              "commune civil servant: plan, visits, self-assessment"),
    DemoLogin("so.nongnghiep", Role.DEPARTMENT_HANDLER, "", AgencyKind.DEPARTMENT,
              "Sở Nông nghiệp và Môi trường", "Trưởng phòng",
              "Sở NN&MT: trả lời kiến nghị đất đai, môi trường",
              "agriculture & environment department: answers land and environment concerns"),
    DemoLogin("quantri.quanba", Role.UNIT_ADMIN, "00874", AgencyKind.PEOPLES_COMMITTEE, "",
              "Công chức Văn phòng - Thống kê", "Quản trị xã Quản Bạ: người dùng, phân công, nhập liệu",
              "Quản Bạ commune administrator: users, assignments, imports"),
    DemoLogin("thanhtra", Role.VIEWER, "", AgencyKind.DEPARTMENT, "Thanh tra tỉnh", "Chánh Thanh tra",
              "Thanh tra tỉnh: chỉ xem toàn tỉnh", "provincial inspectorate: read-only, whole province"),
)


@dataclass(frozen=True)
class LoginRow:
    username: str
    password: str
    role: str
    role_label: str
    scope: str
    cadre: str
    about_vi: str
    about_en: str
    created: bool


def demo_logins_ensure(*, province_code: str = DEFAULT_PROVINCE, password: str = DEMO_PASSWORD,
                       actor: Actor = None) -> list[LoginRow]:
    """Make sure every demo login whose scope exists has its user, grant and cadre; returns the table.
    A login whose commune is not in the database (a partial build) is left out."""
    province = province_of(province_code)
    if province is None:
        return []
    codes = {spec.scope for spec in DEMO_LOGINS if spec.scope}
    scopes = {u.code: u for u in AdminUnit.objects.filter(province=province, level__code="commune",
                                                          code__in=codes)}
    rows: list[LoginRow] = []
    changes: list[str] = []
    with transaction.atomic():
        for spec in DEMO_LOGINS:
            unit = province if not spec.scope else scopes.get(spec.scope)
            if unit is None:
                continue
            user, created = _ensure_user(spec, unit, password, changes)
            rows.append(LoginRow(username=spec.username, password=password, role=str(spec.role),
                                 role_label=str(Role(spec.role).label), scope=unit.name,
                                 cadre=f"{user.cadre.full_name}, {user.cadre.position}" if user.cadre else "",
                                 about_vi=spec.about_vi, about_en=spec.about_en, created=created))
        if changes:
            audit.record(actor=actor, action="demo.logins", obj=province, after={"changes": changes})
    return rows


def _ensure_user(spec: DemoLogin, unit: AdminUnit, password: str, changes: list[str]) -> tuple[User, bool]:
    user = User.objects.select_related("cadre").filter(username=spec.username).first()
    created = user is None
    if user is None:
        user = User(username=spec.username, first_name=spec.username)
        user.set_password(password)
        user.save()
        changes.append(f"user {spec.username}")
    if user.cadre_id is None:
        cadre = (Cadre.objects.filter(agency__unit=unit, agency__kind=spec.agency_kind,
                                      agency__name__startswith=spec.agency_name,
                                      position__startswith=spec.position, user__isnull=True)
                 .order_by("code").first())
        if cadre is not None:
            user.cadre, user.first_name = cadre, cadre.full_name
            user.save(update_fields=["cadre", "first_name"])
            changes.append(f"cadre {spec.username} → {cadre.code}")
    _, granted = RoleGrant.objects.get_or_create(user=user, role=spec.role, unit=unit)
    if granted:
        changes.append(f"grant {spec.username} {spec.role} {unit.code}")
    return user, created
