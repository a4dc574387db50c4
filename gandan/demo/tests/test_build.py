"""`gandan demo`: the demo world is deterministic, realistic in its counts, complete, audited and
idempotent. Built on province 08 with five of its real communes (three of the former Quản Bạ
district, one ward, one midland commune) instead of the full official list, to stay fast."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.core.paths import PATH_SEP
from gandan.core.text import fold
from gandan.demo import build as demo_build
from gandan.demo.build import DemoError, build_demo
from gandan.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_ensure
from gandan.demo.names import HIGHLAND, URBAN, village_names
from gandan.demo.staffing import allocate
from gandan.org.models import AdminUnit, Agency, Household, PartyCell
from gandan.org.services import levels_ensure, unit_create
from gandan.people import enrolment_codes
from gandan.people.models import Cadre, RoleGrant, User

QUAN_BA, NGHIA_THUAN, TUNG_VAI, MY_LAM, THUONG_LAM = "00874", "00889", "00892", "02509", "02269"
COMMUNES = (QUAN_BA, NGHIA_THUAN, TUNG_VAI, MY_LAM, THUONG_LAM)
SMALL = 0.1  # households and villages at a tenth, where the test is not about them

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuyen_quang() -> AdminUnit:
    """Province 08 and five of its real communes, named as in the vietnam-provinces package."""
    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    prov = next(p for p in data if p["code"] == 8)
    levels = levels_ensure()
    province = unit_create(actor=None, level=levels["province"], code="08", name=f"Tỉnh {prov['name']}",
                           division_type="tỉnh")
    for ward in prov["wards"]:
        if f"{ward['code']:05d}" in COMMUNES:
            unit_create(actor=None, level=levels["commune"], code=f"{ward['code']:05d}", name=ward["name"],
                        division_type=ward["division_type"], parent=province)
    return province


def _digest() -> str:
    """A fingerprint of every generated name and code, independent of database ids."""
    parts = [
        list(AdminUnit.objects.filter(level__code="village").order_by("code")
             .values_list("code", "name", "division_type", "path")),
        list(Household.objects.order_by("code").values_list("code", "head_name", "address", "phone", "members")),
        list(Agency.objects.order_by("unit__code", "name").values_list("unit__code", "name", "kind", "phone")),
        list(PartyCell.objects.order_by("unit__code", "name").values_list("unit__code", "name")),
        list(Cadre.objects.order_by("code").values_list(
            "code", "full_name", "position", "employment_type", "is_party_member", "birth_date", "phone",
            "manager__code", "home_unit__code", "party_cell__name")),
    ]
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()).hexdigest()


def _build_and_digest(seed: int) -> str:
    with transaction.atomic():
        build_demo(seed=seed, scale=SMALL)
        digest = _digest()
        transaction.set_rollback(True)  # the next build starts from the same empty province
    return digest


def test_same_seed_builds_the_same_province_and_another_seed_does_not(tuyen_quang):
    first = _build_and_digest(2025)
    assert AdminUnit.objects.filter(level__code="village").count() == 0
    assert _build_and_digest(2025) == first
    assert _build_and_digest(7) != first


def test_a_partial_build_takes_the_quan_ba_communes_first_and_gives_them_the_same_data(tuyen_quang):
    def villages() -> list[tuple[str, str]]:
        return list(AdminUnit.objects.filter(level__code="village").order_by("code").values_list("code", "name"))

    with transaction.atomic():
        build_demo(scale=SMALL, communes_limit=2)
        partial = villages()
        transaction.set_rollback(True)
    build_demo(scale=SMALL)

    assert {code[:5] for code, _ in partial} == {QUAN_BA, NGHIA_THUAN}
    assert [v for v in villages() if v[0][:5] in {QUAN_BA, NGHIA_THUAN}] == partial


def test_counts_fall_within_the_stated_ranges_and_every_row_is_filed_correctly(tuyen_quang):
    summary = build_demo()

    assert summary.created
    communes = {c.pk: c for c in AdminUnit.objects.filter(level__code="commune", province=tuyen_quang)}
    villages = list(AdminUnit.objects.filter(level__code="village"))
    per_commune = Counter(v.parent_id for v in villages)
    assert set(per_commune) == set(communes)
    assert all(5 <= n <= 12 for n in per_commune.values())
    for v in villages:
        parent = communes[v.parent_id]
        assert v.province_id == tuyen_quang.pk
        assert v.code.startswith(parent.code) and len(v.code) == len(parent.code) + 2
        assert v.path == parent.path + PATH_SEP + v.code and v.depth == parent.depth + 1
        assert v.name_folded == fold(v.name)
        expected = ("tổ dân phố",) if parent.division_type == "phường" else ("thôn", "bản")
        assert v.division_type in expected and v.name.lower().startswith(v.division_type)

    per_village = Counter(Household.objects.values_list("village_id", flat=True))
    assert set(per_village) == {v.pk for v in villages}
    assert all(80 <= n <= 300 for n in per_village.values())
    households = Household.objects.all()
    assert not households.exclude(province=tuyen_quang).exists()
    assert not households.filter(members__lt=1).exists() and not households.filter(members__gt=9).exists()
    sample = households.select_related("village__parent").order_by("code")[:50]
    assert all(h.head_name_folded == fold(h.head_name) for h in sample)
    assert all(h.address == f"{h.village.name}, {h.village.parent.name}" for h in sample)
    with_phone = households.exclude(phone="")
    assert 0.5 < with_phone.count() / households.count() < 0.8
    assert all(len(p) == 10 and p.startswith("0") for p in with_phone.values_list("phone", flat=True)[:200])

    assert Agency.objects.filter(unit=tuyen_quang, kind="department").count() >= 12
    assert Agency.objects.get(unit=tuyen_quang, name="Sở Nông nghiệp và Môi trường").fields == ["land", "environment"]
    assert Agency.objects.filter(unit__level__code="commune").count() == 8 * len(communes)
    assert PartyCell.objects.filter(unit__level__code="village").count() == len(villages)
    assert PartyCell.objects.filter(agency__isnull=False).count() == Agency.objects.count()

    cadres = Cadre.objects.select_related("agency", "manager", "home_unit")
    assert cadres.filter(unit=tuyen_quang).count() == demo_build.PROVINCE_CADRES == 942
    by_commune = Counter(cadres.filter(unit__level__code="commune").values_list("unit__code", flat=True))
    assert by_commune[QUAN_BA] + by_commune[NGHIA_THUAN] + by_commune[TUNG_VAI] == 282 * 3 // 5
    assert by_commune[MY_LAM] == by_commune[THUONG_LAM] == 4
    assert set(cadres.values_list("employment_type", flat=True)) == {
        "cadre", "civil_servant", "public_employee", "contract"}
    members = cadres.filter(is_party_member=True)
    assert 0.5 < members.count() / cadres.count() < 0.7
    assert not members.filter(party_cell__isnull=True).exists()
    assert not cadres.exclude(province=tuyen_quang).exists()
    for cadre in cadres:
        assert cadre.unit_id == cadre.agency.unit_id
        if cadre.manager is not None:
            assert cadre.manager.agency_id == cadre.agency_id and cadre.manager.manager_id is None
        if cadre.unit_id != tuyen_quang.pk:
            assert cadre.home_unit.parent_id == cadre.unit_id
    nghia_thuan = cadres.filter(unit__code=NGHIA_THUAN)
    assert nghia_thuan.filter(position="Chủ tịch UBND xã").count() == 1
    assert nghia_thuan.filter(position="Công chức Địa chính - Xây dựng").exists()


def test_every_commune_gets_its_leaders_even_when_it_is_not_featured(tuyen_quang):
    build_demo(scale=SMALL)

    positions = set(Cadre.objects.filter(unit__code=THUONG_LAM).values_list("position", flat=True))
    assert {"Bí thư Đảng ủy", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã"} <= positions
    assert set(Cadre.objects.filter(unit__code=MY_LAM).values_list("position", flat=True)) >= {
        "Chủ tịch UBND phường"}


def test_demo_logins_exist_with_their_grants_and_can_log_in(tuyen_quang, client):
    build_demo(scale=SMALL)
    rows = demo_logins_ensure()

    assert [r.username for r in rows] == [spec.username for spec in DEMO_LOGINS]
    for spec in DEMO_LOGINS:
        user = User.objects.get(username=spec.username)
        scope = tuyen_quang if not spec.scope else AdminUnit.objects.get(level__code="commune", code=spec.scope)
        assert RoleGrant.objects.filter(user=user, role=spec.role, unit=scope).exists()
        assert user.cadre is not None and user.cadre.unit_id == scope.pk
        assert client.login(username=spec.username, password=DEMO_PASSWORD)
        client.logout()
    leader = User.objects.get(username="lanhdao.nghiathuan").cadre
    assert leader.position == "Chủ tịch UBND xã" and leader.unit.code == NGHIA_THUAN
    assert User.objects.get(username="so.nongnghiep").cadre.agency.name == "Sở Nông nghiệp và Môi trường"


def test_second_run_changes_nothing(tuyen_quang):
    build_demo(scale=SMALL)
    demo_logins_ensure()
    before = (_digest(), AuditEvent.objects.count(), User.objects.count(), RoleGrant.objects.count())

    again = build_demo(scale=SMALL, seed=99)
    demo_logins_ensure()

    assert not again.created
    assert (_digest(), AuditEvent.objects.count(), User.objects.count(), RoleGrant.objects.count()) == before


def test_a_lost_login_is_restored_without_touching_the_data(tuyen_quang):
    build_demo(scale=SMALL)
    demo_logins_ensure()
    User.objects.filter(username="thanhtra").delete()

    rows = demo_logins_ensure()

    assert [r.username for r in rows if r.created] == ["thanhtra"]
    assert RoleGrant.objects.filter(user__username="thanhtra", role="viewer", unit=tuyen_quang).exists()


def test_each_stage_is_audited_once_and_the_chain_verifies(tuyen_quang):
    build_demo(scale=SMALL)
    demo_logins_ensure()

    actions = Counter(AuditEvent.objects.filter(action__startswith="demo.").values_list("action", flat=True))
    assert actions == {"demo.villages": 1, "demo.households": 1, "demo.agencies": 1, "demo.party_cells": 1,
                       "demo.cadres": 1, "demo.logins": 1}
    households = AuditEvent.objects.get(action="demo.households")
    assert households.province_id == tuyen_quang.pk
    assert households.after["households"] == Household.objects.count()
    assert verify_chain().ok


def test_a_crash_in_a_stage_leaves_nothing_behind(tuyen_quang, monkeypatch):
    def boom(self, communes):
        raise RuntimeError("server killed")

    monkeypatch.setattr(demo_build._Builder, "cadres", boom)
    with pytest.raises(RuntimeError):
        build_demo(scale=SMALL)

    assert not AdminUnit.objects.filter(level__code="village").exists()
    assert not Household.objects.exists() and not Agency.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="demo.").exists()


def test_a_missing_province_is_a_clear_error(db):
    with pytest.raises(DemoError, match="load-units"):
        build_demo(province_code="99")


def test_the_command_builds_once_then_only_prints_the_logins(tuyen_quang):
    out = StringIO()
    call_command("demo", scale=SMALL, verbosity=0, stdout=out)
    assert "Đã tạo dữ liệu mẫu" in out.getvalue()
    cadres = Cadre.objects.count()

    out = StringIO()
    call_command("demo", verbosity=0, stdout=out)

    text = out.getvalue()
    assert "đã có" in text and "Tài khoản mẫu" in text and " / " not in text
    assert all(spec.username in text for spec in DEMO_LOGINS) and DEMO_PASSWORD in text
    assert Cadre.objects.count() == cadres

    out = StringIO()
    with translation.override("en"):
        call_command("demo", verbosity=0, stdout=out)
    text = out.getvalue()
    assert "already present" in text and "Demo logins" in text and "Tài khoản" not in text


def test_with_two_step_sign_in_on_the_command_prints_an_enrolment_code_per_two_step_login(tuyen_quang, settings):
    settings.GANDAN_OTP_REQUIRED = True
    out = StringIO()
    call_command("demo", scale=SMALL, verbosity=0, stdout=out)
    codes = dict(re.findall(r"^  (\S+)  ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$", out.getvalue(), re.MULTILINE))
    assert set(codes) == {"tinhuy", "lanhdao.nghiathuan", "quantri.quanba"}
    assert enrolment_codes.code_use(user=User.objects.get(username="tinhuy"), code=codes["tinhuy"])


def test_shares_are_split_exactly():
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(allocate(1390, [95, 85, 30, 45, 7])) == 1390


def test_village_names_are_distinct_within_a_commune():
    rng = random.Random(1)
    for region, count in ((HIGHLAND, 12), (HIGHLAND, 150), (URBAN, 9)):
        names = [name for name, _ in village_names(rng, region, count)]
        assert len(set(names)) == count
    assert village_names(rng, URBAN, 3) == [("Tổ dân phố 1", "tổ dân phố"), ("Tổ dân phố 2", "tổ dân phố"),
                                            ("Tổ dân phố 3", "tổ dân phố")]
