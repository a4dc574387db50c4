"""The campaign summary and the models register open in a spreadsheet with the figures of the screen."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from openpyxl import load_workbook

from gandan.campaigns import exports, model_queries, model_services, queries
from gandan.campaigns.inputs import ModelIn, OutputIn
from gandan.campaigns.testing import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_the_summary_keeps_each_indicator_in_its_own_measure(world):
    campaign = make_campaign(world)
    make_event(world, campaign, outputs=[OutputIn(indicator="roads_repaired", amount="2.5", measure="km"),
                                         OutputIn(indicator="fields_reclaimed", amount="1", measure="ha")])
    t = queries.totals(world.commune_a_leader, queries.EventFilters(campaign=campaign))
    sheet = load_workbook(io.BytesIO(exports.summary_xlsx(t, "=Ngày cuối tuần"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "=Ngày cuối tuần" and sheet["A1"].data_type == "s"  # formula-like text stays text
    assert rows[1] == ("Nội dung", "Số liệu", "Đơn vị tính", "Số đợt")
    assert ("Lượt người dân tham gia", 40, "lượt", 1) in rows
    assert ("Đường giao thông được tu sửa, khơi thông cống rãnh", 2.5, "km", 1) in rows
    assert ("Ruộng bậc thang được khai hoang", 1, "ha", 1) in rows


def test_the_models_register_lists_each_model_with_its_last_decision(world):
    model, _ = model_services.model_register(actor=None, data=ModelIn(
        client_uuid=uuid.uuid4(), unit_id=world.village_a1.pk, holder_kind="collective",
        holder_name="Chi hội phụ nữ thôn Nậm Lìn", title="Đường hoa nông thôn mới", field="new_rural",
        registered_on=dt.date(2026, 2, 1)))
    model_services.model_decide(actor=None, model=model, data=model_services.DecisionIn(
        status="recognised", number="15/QĐ-UBND", date=dt.date(2026, 4, 2), level="commune"))
    qs = model_queries.models_filtered(world.commune_a_leader, model_queries.ModelFilters())
    rows = list(load_workbook(io.BytesIO(exports.models_xlsx(qs))).active.iter_rows(values_only=True))
    assert rows[2][:11] == (dt.datetime(2026, 2, 1), "Đường hoa nông thôn mới", "Tập thể",
                            "Chi hội phụ nữ thôn Nậm Lìn",
                            "Xây dựng nông thôn mới", "Thôn Nậm Lìn", None, "Được công nhận", "15/QĐ-UBND",
                            dt.datetime(2026, 4, 2), "Cấp xã")  # real dates, shown dd/mm/yyyy
