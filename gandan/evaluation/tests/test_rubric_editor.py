"""The rubric editor: versions in scope, a new version from one of them through a form of rows and
fields (not a JSON textarea), errors naming the criterion and the field, who may issue which, the
audit, and a sheet keeping the version it was opened with."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from gandan.core.models import AuditEvent
from gandan.evaluation import rubric_forms, services
from gandan.evaluation.models import Rubric
from gandan.evaluation.rubric import DECREE_335, REGULATION_366, RubricRules, shown_label
from gandan.evaluation.testing import open_month, province_rubric, self_assess, sheet_of
from gandan.people.models import Role
from gandan.people.testing import make_user
from gandan.plans.testing import on

pytestmark = pytest.mark.django_db
D = dt.date


def national(kind: str = "civil_servant") -> Rubric:
    return Rubric.objects.get(province=None, kind=kind)


def form_of(body: dict, **changes: str) -> dict[str, object]:
    """What the editor posts for `body`, as a browser sends it (every row and field), with `changes`."""
    f = rubric_forms.values(body)
    data: dict[str, object] = {"g-rows": str(len(f["general"])), "ti-rows": str(len(f["titles"]))}
    for i, row in enumerate(f["general"]):
        data.update({f"g-{i}-{k}": row[k] for k in ("code", "label", "max", "evidence")})
    for i, row in enumerate(f["titles"]):
        data.update({f"ti-{i}-{k}": row[k] for k in ("code", "label", "min_grade")})
    for key in ("general_max", "tasks_max", "combination", "direction_pct", "unit_failed_pct", "excellent", "good",
                "done", "cap_pct", "cap_of", "party_exceeding_pct", "annual_rule", "min_months", "deadline_day",
                "deadline_month", "leave_month", "leave_min_days", "transfer_month"):
        data[key] = f[key]
    data.update({f"w-{k}": v for k, v in f["weights"].items()})
    data.update({f"d-{i}": d for i, d in enumerate(f["deadlines"], start=1)})
    data["vetoes"] = f["vetoes"]
    if f["party"]:
        data["party"] = "1"
    if f["transfer_sent_along"]:
        data["transfer_sent_along"] = "1"
    data.update(changes)
    return data


class Posted(dict):
    """A QueryDict's reading of a plain dict: `getlist` for the checkboxes."""

    def getlist(self, key: str) -> list:
        value = self.get(key, [])
        return list(value) if isinstance(value, list | tuple) else [value]


# -- the form, pure ----------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [DECREE_335, REGULATION_366])
def test_the_form_of_a_shipped_default_posted_back_unchanged_reads_as_the_same_rules(body):
    read, errors = rubric_forms.read(Posted(form_of(body)), body)
    assert errors == {}
    assert RubricRules.from_data(read) == RubricRules.from_data(body)
    assert len(read["general"]) == len(body["general"])  # the three blank rows are not criteria


def test_rows_and_fields_change_the_rubric_and_a_blank_or_dropped_row_is_no_criterion():
    data = form_of(DECREE_335, **{"g-3-delete": "1", "g-4-code": "service", "g-4-label": "Phục vụ nhân dân",
                                  "g-4-max": "5", "g-4-evidence": "petitions", "excellent": "92",
                                  "direction_pct": "40", "cap_pct": "15", "cap_of": "good", "d-3": "10"})
    body, errors = rubric_forms.read(Posted(data), DECREE_335)
    assert errors == {}
    rules = RubricRules.from_data(body)
    assert [c.code for c in rules.general] == ["politics", "capacity", "grassroots", "service"]
    assert rules.criterion("service").evidence == "petitions"
    assert (rules.excellent, rules.direction_share, rules.cap_pct, rules.cap_of, rules.deadlines) == (
        Decimal(92), Decimal("0.4"), Decimal(15), "good", (3, 5, 10))


def test_an_error_names_the_criterion_by_its_row_and_name_and_the_field():
    data = form_of(DECREE_335, **{"g-1-max": "mười", "g-4-label": "Không có mã", "g-4-max": "1"})
    _body, errors = rubric_forms.read(Posted(data), DECREE_335)
    assert errors["g-1-max"] == ["Tiêu chí 2 (Năng lực, trách nhiệm, thái độ phục vụ nhân dân, phối hợp), "
                                 "điểm tối đa: hãy nhập một số."]
    assert errors["g-4-code"] == ["Tiêu chí 5 (Không có mã): hãy ghi mã tiêu chí."]


def test_the_whole_is_checked_by_the_rubric_reader_and_shown_beside_the_part():
    too_many, errors = rubric_forms.read(Posted(form_of(DECREE_335, **{"g-0-max": "15"})), DECREE_335)
    assert errors == {"general": ["Tổng điểm tối đa của các tiêu chí chung vượt 30."]}
    _body, errors = rubric_forms.read(Posted(form_of(DECREE_335, good="95")), DECREE_335)
    assert list(errors) == ["excellent"] and "tăng dần" in errors["excellent"][0]
    _body, errors = rubric_forms.read(Posted(form_of(DECREE_335, **{"d-1": "9"})), DECREE_335)
    assert list(errors) == ["deadlines"]
    _body, errors = rubric_forms.read(Posted(form_of(DECREE_335, **{"g-2-code": "politics"})), DECREE_335)
    assert errors == {"general": ["Mã tiêu chí “politics” bị trùng."]}
    _body, errors = rubric_forms.read(Posted(form_of(DECREE_335, deadline_day="31", deadline_month="2")), DECREE_335)
    assert errors == {"deadline_day": ["Hạn xếp loại năm: ngày 31/2 không có."]}


def test_the_leave_and_transfer_rules_are_fields_of_the_form_and_an_error_names_the_field():
    shown = rubric_forms.values(DECREE_335)
    assert (shown["leave_month"], shown["leave_min_days"], shown["transfer_month"], shown["transfer_sent_along"]) == (
        "excluded", "0", "more_days", True)
    data = form_of(DECREE_335, leave_month="worked_mean", leave_min_days="10", transfer_month="new_unit")
    del data["transfer_sent_along"]  # an unticked box is not posted
    body, errors = rubric_forms.read(Posted(data), DECREE_335)
    assert errors == {}
    assert body["leave"] == {"month": "worked_mean", "min_days": 10}
    assert body["transfer"] == {"month": "new_unit", "sent_along": False}
    rules = RubricRules.from_data(body)
    assert (rules.leave.month, rules.leave.min_days, rules.transfer.month, rules.transfer.sent_along) == (
        "worked_mean", 10, "new_unit", False)
    _body, errors = rubric_forms.read(Posted(form_of(DECREE_335, leave_min_days="32", leave_month="all",
                                                     transfer_month="old_unit")), DECREE_335)
    assert errors == {
        "leave_month": ["Tháng nghỉ theo chế độ: hãy chọn một cách tính trong danh sách."],
        "leave_min_days": ["Số ngày làm việc tối thiểu để tháng được tính: hãy nhập số nguyên từ 0 đến 31."],
        "transfer_month": ["Tháng chuyển công tác: hãy chọn đơn vị được tính trong danh sách."]}


def test_the_shipped_labels_are_in_the_users_language_and_a_typed_one_stays_as_typed():
    label = DECREE_335["general"][0]["label"]
    with translation.override("en"):
        assert shown_label(label) != label and shown_label(label).startswith("Politics")
        assert shown_label("Phục vụ nhân dân") == "Phục vụ nhân dân"
    with translation.override("vi"):
        assert shown_label(label) == label


# -- the screens -------------------------------------------------------------------------------------
def test_a_province_administrator_issues_a_version_from_the_national_default_through_the_form(world, client_as):
    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    client = client_as(admin)
    base = national()
    listing = client.get(reverse("evaluation-rubrics")).content.decode()
    assert reverse("evaluation-rubric-new", args=[base.pk]) in listing
    page = client.get(reverse("evaluation-rubric-new", args=[base.pk])).content.decode()
    assert 'name="g-0-max"' in page and 'name="excellent"' in page and "<textarea" not in page
    assert 'name="leave_month"' in page and 'name="transfer_sent_along" value="1" checked' in page
    assert 'value="national"' not in page  # the national default is not theirs to issue
    url = reverse("evaluation-rubric-new", args=[base.pk])
    bad = client.post(url, {**form_of(DECREE_335, **{"g-1-max": "x"}), "name": "Tỉnh 2026",
                            "valid_from": "01/04/2026", "target": f"p{world.province.pk}"})
    assert bad.status_code == 422 and "Tiêu chí 2" in bad.content.decode()
    assert 'value="x"' in bad.content.decode()  # what was typed is kept
    done = client.post(url, {**form_of(DECREE_335, excellent="92"), "name": "Tỉnh 2026", "valid_from": "01/04/2026",
                             "target": f"a{world.agency_a.pk}"})
    saved = Rubric.objects.get(name="Tỉnh 2026")
    assert done.url == reverse("evaluation-rubric", args=[saved.pk])
    assert (saved.province, saved.agency, saved.valid_from, saved.created_by) == (world.province, world.agency_a,
                                                                                   D(2026, 4, 1), admin)
    assert RubricRules.from_data(saved.body).excellent == 92
    assert AuditEvent.objects.filter(action="evaluation.rubric.create", object_id=str(saved.pk)).exists()
    again = client.post(url, {**form_of(DECREE_335), "name": "Lần nữa", "valid_from": "01/04/2026",
                              "target": f"a{world.agency_a.pk}"})
    assert again.status_code == 422 and "Đã có phiên bản áp dụng từ ngày 01/04/2026" in again.content.decode()
    shown = client.get(reverse("evaluation-rubric", args=[saved.pk])).content.decode()
    assert 'data-testid="rubric-json"' in shown and "&quot;excellent&quot;: &quot;92&quot;" in shown
    assert "Không tính vào trung bình năm" in shown and "kết quả ở đơn vị cũ được chuyển theo" in shown
    bad = client.post(url, {**form_of(DECREE_335, leave_min_days="40"), "name": "Tỉnh 2027",
                            "valid_from": "01/01/2027", "target": f"p{world.province.pk}"})
    page = bad.content.decode()
    assert bad.status_code == 422 and not Rubric.objects.filter(name="Tỉnh 2027").exists()
    assert "Số ngày làm việc tối thiểu để tháng được tính: hãy nhập số nguyên từ 0 đến 31." in page
    assert 'id="leave_min_days" name="leave_min_days" value="40"' in page  # what was typed is kept


def test_the_editor_loads_its_row_script_and_offers_a_row_template_and_blank_rows_without_it(world, client_as):
    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    page = client_as(admin).get(reverse("evaluation-rubric-new", args=[national().pk])).content.decode()
    assert '<script src="/static/evaluation/rubric_rows.js"></script>' in page
    assert '<template data-row-template="g">' in page and 'name="g-__prefix__-code"' in page
    assert '<template data-row-template="ti">' in page and 'name="ti-__prefix__-code"' in page
    assert page.count("data-row-blank") == 2 * rubric_forms.BLANK_ROWS + 2  # the blank rows, and each template's
    assert 'name="g-rows" value="7" data-rows-count="g"' in page  # 4 criteria + 3 blank rows
    assert "<script>" not in page and " style=" not in page and " onclick=" not in page


def test_who_may_issue_which_version(world, client_as, django_user_model):
    base = national()
    url = reverse("evaluation-rubric-new", args=[base.pk])
    assert client_as(world.commune_a_leader).get(url).status_code == 403  # a commune's leader: read only
    assert client_as(world.commune_a_leader).get(reverse("evaluation-rubric", args=[base.pk])).status_code == 200
    committee = client_as(world.province_committee)
    refused = committee.post(url, {**form_of(DECREE_335), "name": "Quốc gia", "valid_from": "01/01/2027",
                                   "target": "national"})
    assert refused.status_code == 422 and not Rubric.objects.filter(name="Quốc gia").exists()
    root = django_user_model.objects.create_superuser("national_admin", password="x")
    page = client_as(root).get(url).content.decode()
    assert 'value="national"' in page
    client_as(root).post(url, {**form_of(DECREE_335), "name": "Quốc gia", "valid_from": "01/01/2027",
                               "target": "national"})
    assert Rubric.objects.get(name="Quốc gia").province is None
    other = client_as(world.other_province_leader)
    own = services.rubric_save(actor=None, kind="civil_servant", name="Tỉnh", valid_from=D(2026, 2, 1),
                               body=DECREE_335, province=world.province)
    assert other.get(reverse("evaluation-rubric", args=[own.pk])).status_code == 404
    assert own.pk not in _listed(other) and own.pk in _listed(client_as(world.commune_a_leader))


def _listed(client) -> set[int]:
    page = client.get(reverse("evaluation-rubrics")).content.decode()
    return {r.pk for r in Rubric.objects.all() if reverse("evaluation-rubric", args=[r.pk]) in page}


def test_a_sheet_keeps_the_version_it_was_opened_with(world):
    march = open_month(world)
    sheet = sheet_of(march, world.cadre_a.pk)
    old = sheet.rubric
    newer = services.rubric_save(actor=world.province_committee, kind="civil_servant", name="Khắt khe hơn",
                                 valid_from=D(2026, 3, 1), province=world.province,
                                 body={**DECREE_335, "thresholds": {"excellent": 95, "good": 80, "done": 60}})
    with on(D(2026, 4, 2)):
        self_assess(sheet, world.commune_a_cadre, 30)
    sheet.refresh_from_db()
    assert sheet.rubric == old and old.province_id is None
    april = open_month(world, D(2026, 4, 1))
    assert sheet_of(april, world.cadre_a.pk).rubric == newer
    assert sheet_of(march, world.cadre_a.pk).rubric == old


def test_the_migration_writes_the_rules_each_stored_version_was_made_with(world):
    older = {k: v for k, v in DECREE_335.items() if k not in ("leave", "transfer")}
    stored = Rubric.objects.create(kind="civil_servant", name="Trước", valid_from=D(2025, 6, 1), body=older)
    changed = province_rubric(world, transfer={"month": "new_unit", "sent_along": False})
    migration = importlib.import_module("gandan.evaluation.migrations.0007_rubric_leave_transfer_rules")
    migration.forwards(apps, None)
    stored.refresh_from_db()
    changed.refresh_from_db()
    assert (stored.body["leave"], stored.body["transfer"]) == ({"month": "excluded", "min_days": 0},
                                                               {"month": "more_days", "sent_along": True})
    assert changed.body["transfer"] == {"month": "new_unit", "sent_along": False}  # its own rule is kept
