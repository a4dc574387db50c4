"""Factories and named personas for tests: a small world of two provinces, whose people each hold
one role somewhere, so that every test can ask "and what does the outsider see?"."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

from gandan.core.text import fold
from gandan.org.models import AdminUnit, Agency, AgencyKind, Household, PartyCell
from gandan.org.testing import make_agency, make_household, make_unit
from gandan.people.models import Cadre, EmploymentType, Role, RoleGrant, User

_seq = itertools.count(1)
PASSWORD = "mat-khau-thu-nghiem-2026"


def make_cadre(agency: Agency, full_name: str = "Trần Thị Bình", **extra: Any) -> Cadre:
    extra.setdefault("employment_type", EmploymentType.CIVIL_SERVANT)
    assert agency.province is not None  # every agency has its province
    return Cadre.objects.create(province=agency.province, unit=agency.unit, agency=agency,
                                code=extra.pop("code", f"CB{next(_seq):06d}"), full_name=full_name,
                                name_folded=fold(full_name), **extra)


def make_user(username: str, *, role: str | None = None, unit: AdminUnit | None = None,
              cadre: Cadre | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, cadre=cadre,
                                    first_name=cadre.full_name if cadre else username)
    if role and unit:
        RoleGrant.objects.create(user=user, role=role, unit=unit)
    return user


@dataclass
class World:
    province: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    village_a1: AdminUnit
    village_a2: AdminUnit
    village_b1: AdminUnit
    other_province: AdminUnit
    other_commune: AdminUnit
    agency_a: Agency
    agency_b: Agency
    agency_province: Agency
    cadre_a: Cadre
    cadre_b: Cadre
    cadre_province: Cadre
    cadre_other: Cadre
    household_a1: Household
    household_b1: Household
    party_cell_a: PartyCell
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_world() -> World:
    """Tuyên Quang-like province with communes A (Nghĩa Thuận) and B (Quản Bạ), and another province.

    Personas: province_committee, department_handler (province), commune_a_leader,
    commune_a_cadre, commune_a_viewer, commune_b_admin, other_province_leader, nobody.
    """
    province = make_unit("province", "Tỉnh Tuyên Quang", code="T08", division_type="tỉnh")
    commune_a = make_unit("commune", "Xã Nghĩa Thuận", province, division_type="xã")
    commune_b = make_unit("commune", "Xã Quản Bạ", province, division_type="xã")
    village_a1 = make_unit("village", "Thôn Nậm Lìn", commune_a, division_type="thôn")
    village_a2 = make_unit("village", "Thôn Cốc Pảng", commune_a, division_type="thôn")
    village_b1 = make_unit("village", "Thôn Lùng Cúng", commune_b, division_type="thôn")
    other = make_unit("province", "Tỉnh Lào Cai", code="T15", division_type="tỉnh")
    other_commune = make_unit("commune", "Xã Mù Cang Chải", other, division_type="xã")
    agency_a = make_agency(commune_a, "UBND xã Nghĩa Thuận", phone="0219 3846 111")
    agency_b = make_agency(commune_b, "UBND xã Quản Bạ")
    agency_province = make_agency(province, "Sở Nông nghiệp và Môi trường", kind=AgencyKind.DEPARTMENT,
                                  fields=["land", "environment"])
    agency_other = make_agency(other_commune, "UBND xã Mù Cang Chải")
    party_cell_a = PartyCell.objects.create(province=province, unit=village_a1, name="Chi bộ thôn Nậm Lìn")
    cadre_a = make_cadre(agency_a, "Sân Tiến Phúc", position="Công chức Văn phòng - Thống kê",
                         phone="0912345678", is_party_member=True, party_cell=party_cell_a)
    cadre_b = make_cadre(agency_b, "Lý Thị Mai", position="Phó Chủ tịch UBND xã", phone="0987654321")
    cadre_province = make_cadre(agency_province, "Hoàng Văn Đức", position="Chuyên viên")
    cadre_other = make_cadre(agency_other, "Giàng A Páo", position="Chủ tịch UBND xã")
    world = World(province=province, commune_a=commune_a, commune_b=commune_b, village_a1=village_a1,
                  village_a2=village_a2, village_b1=village_b1, other_province=other, other_commune=other_commune,
                  agency_a=agency_a, agency_b=agency_b, agency_province=agency_province, cadre_a=cadre_a,
                  cadre_b=cadre_b, cadre_province=cadre_province, cadre_other=cadre_other,
                  household_a1=make_household(village_a1, "Vàng Seo Sử", phone="0911000111"),
                  household_b1=make_household(village_b1, "Thào Thị Dung"), party_cell_a=party_cell_a)
    world.users = {
        "province_committee": make_user("province_committee", role=Role.COMMITTEE, unit=province),
        "department_handler": make_user("department_handler", role=Role.DEPARTMENT_HANDLER, unit=province,
                                        cadre=cadre_province),
        "commune_a_leader": make_user("commune_a_leader", role=Role.LEADER, unit=commune_a),
        "commune_a_cadre": make_user("commune_a_cadre", role=Role.CADRE, unit=commune_a, cadre=cadre_a),
        "commune_a_viewer": make_user("commune_a_viewer", role=Role.VIEWER, unit=commune_a),
        "commune_b_admin": make_user("commune_b_admin", role=Role.UNIT_ADMIN, unit=commune_b, cadre=cadre_b),
        "other_province_leader": make_user("other_province_leader", role=Role.LEADER, unit=other,
                                           cadre=cadre_other),
        "nobody": make_user("nobody"),
    }
    return world


def assert_denied_like_missing(client: Any, caplog: Any, user: User, url: str, missing_url: str, *, kind: str,
                               object_id: int) -> None:
    """`user` (logged in on `client`) gets for `url`, an object outside their scope, exactly the 404 of a
    missing one, and only the hidden object leaves one WARNING on "gandan.denials", naming the user,
    the request and the object (people/scoping.py)."""
    caplog.set_level(logging.WARNING, logger="gandan.denials")
    caplog.clear()
    missing = client.get(missing_url)
    assert [r for r in caplog.records if r.name == "gandan.denials"] == [], "a missing object is no denial"
    hidden = client.get(url)
    assert missing.status_code == hidden.status_code == 404
    assert hidden.content == missing.content
    [record] = [r for r in caplog.records if r.name == "gandan.denials"]
    assert record.levelno == logging.WARNING
    assert (record.user_id, record.username, record.kind, record.object_id) == (user.pk, user.username, kind,
                                                                                str(object_id))
    assert (record.method, record.path) == ("GET", url) and record.route not in ("", "-")
    assert user.username in record.getMessage() and url in record.getMessage()


def otp_code(device: Any) -> str:
    """The code `device` (a TOTPDevice) shows now, as the user's authenticator app would."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def otp_enrol(user: User) -> tuple[Any, list[str]]:
    """A confirmed authenticator and ten recovery codes for `user`, as enrolment leaves them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gandan.people import otp

    device = TOTPDevice.objects.create(user=user, name=otp.DEVICE_NAME, confirmed=True)
    return device, otp._recovery_codes(user)
