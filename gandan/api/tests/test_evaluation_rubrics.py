"""/api/v1/evaluation/rubrics: the versions in scope, one with its body, a new dated version (the same
checks as the editor: the error names the part), refused outside the caller's provinces like a missing one."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from gandan.core.models import AuditEvent
from gandan.evaluation.models import Rubric
from gandan.evaluation.rubric import DECREE_335
from gandan.evaluation.testing import province_rubric
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation/rubrics"


def test_list_read_and_issue_a_version_of_the_province(world, api_as):
    own = province_rubric(world)
    admin = api_as(make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province))
    listed = admin.get(API, {"kind": "civil_servant"}).json()
    assert {(r["scope"], r["name"]) for r in listed} == {("national", "Nghị định 335/2025/NĐ-CP"),
                                                         ("province", "Bộ tiêu chí của tỉnh")}
    detail = admin.get(f"{API}/{own.pk}").json()
    assert detail["body"]["thresholds"] == {"excellent": 90, "good": 70, "done": 50}
    body = copy.deepcopy(detail["body"])
    body["thresholds"]["excellent"] = 92
    made = admin.post(API, {"kind": "civil_servant", "name": "Tỉnh 4/2026", "valid_from": "2026-04-01",
                            "province_id": world.province.pk, "agency_id": world.agency_a.pk, "body": body},
                      content_type="application/json")
    assert made.status_code == 201
    created = made.json()
    assert (created["scope"], created["agency_id"], created["body"]["thresholds"]["excellent"]) == (
        "agency", world.agency_a.pk, 92)
    assert AuditEvent.objects.filter(action="evaluation.rubric.create", object_id=str(created["id"])).exists()


def test_a_bad_body_names_its_part_and_the_national_default_is_the_national_administrators(world, api_as,
                                                                                          django_user_model):
    committee = api_as(world.province_committee)
    bad = {**copy.deepcopy(DECREE_335), "general": [{"code": "politics", "label": "Chính trị", "max": 40}]}
    refused = committee.post(API, {"kind": "civil_servant", "name": "Sai", "valid_from": "2026-04-01",
                                   "province_id": world.province.pk, "body": bad}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "general"]
    national = {"kind": "civil_servant", "name": "Quốc gia 2027", "valid_from": "2027-01-01", "body": DECREE_335}
    assert committee.post(API, national, content_type="application/json").status_code == 403
    root = api_as(django_user_model.objects.create_superuser("national_admin", password="x"))
    assert root.post(API, national, content_type="application/json").status_code == 201
    assert Rubric.objects.get(name="Quốc gia 2027").province is None
    assert committee.post(API, {**national, "name": "Lần nữa", "province_id": world.province.pk,
                                "valid_from": "2026-01-01"}, content_type="application/json").status_code == 201
    again = committee.post(API, {**national, "name": "Lần ba", "province_id": world.province.pk,
                                 "valid_from": "2026-01-01"}, content_type="application/json")
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "valid_from"]


def test_another_provinces_rubric_and_province_are_answered_like_missing_ones(world, api_as):
    own = province_rubric(world)
    outsider = api_as(world.other_province_leader)
    assert outsider.get(f"{API}/{own.pk}").status_code == 404
    assert outsider.get(f"{API}/{own.pk}").json() == outsider.get(f"{API}/999999").json()
    assert own.pk not in [r["id"] for r in outsider.get(API).json()]
    sent = outsider.post(API, {"kind": "civil_servant", "name": "X", "valid_from": dt.date(2026, 5, 1).isoformat(),
                               "province_id": world.province.pk, "body": DECREE_335}, content_type="application/json")
    assert sent.status_code == 404


def test_the_leave_and_transfer_rules_are_read_and_issued_and_a_wrong_one_names_its_field(world, api_as):
    own = province_rubric(world)
    admin = api_as(make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province))
    body = admin.get(f"{API}/{own.pk}").json()["body"]
    assert (body["leave"], body["transfer"]) == ({"month": "excluded", "min_days": 0},
                                                 {"month": "more_days", "sent_along": True})
    body = {**body, "leave": {"month": "worked_mean", "min_days": 5}, "transfer": {"month": "new_unit",
                                                                                   "sent_along": False}}
    sent = {"kind": "civil_servant", "name": "Tỉnh 5/2026", "valid_from": "2026-05-01",
            "province_id": world.province.pk, "body": body}
    made = admin.post(API, sent, content_type="application/json")
    assert made.status_code == 201 and made.json()["body"]["transfer"] == {"month": "new_unit", "sent_along": False}
    for part, value, field in (("leave", {"month": "worked_mean", "min_days": 40}, "leave.min_days"),
                               ("transfer", {"month": "sideways"}, "transfer.month")):
        refused = admin.post(API, {**sent, "valid_from": "2026-06-01", "body": {**body, part: value}},
                             content_type="application/json")
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", field]
    assert not Rubric.objects.filter(valid_from=dt.date(2026, 6, 1)).exists()

