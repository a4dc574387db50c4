"""The rubric editor's form, without a JSON textarea: the general criteria and the titles as rows, every
other rule as its own field. `values` turns a rubric's body into what the form shows; `read` turns what
was posted back into a body and the errors, each naming the criterion (its row, code and name) and the
field, then lets the rubric reader (rubric.RubricRules.from_data) check the whole. Parts of a body the
form does not show are kept as they were in the version copied."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from gandan.evaluation.rubric import (
    ANNUAL_RULES,
    CAP_OF,
    COMBINATIONS,
    EVIDENCE_KINDS,
    LEAVE_MONTHS,
    RATIOS,
    TRANSFER_MONTHS,
    VETOES,
    RubricError,
    RubricRules,
)

BLANK_ROWS = 3  # empty rows under the criteria and the titles, to add one without a script
TITLE_GRADES = ("excellent", "good", "done")
Errors = dict[str, list[str]]


def _pct(ratio: Any) -> str:
    return _plain(Decimal(str(ratio)) * 100)


def _plain(value: Any) -> str:
    """A number as a person types it: 10, 0.5, 12.25 (never 1E+1)."""
    return f"{Decimal(str(value)).normalize():f}"


def values(body: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows for a body (the defaults of rubric.py where it names none)."""
    rules = RubricRules.from_data(body)
    general = [{"code": c.code, "label": c.label, "max": _plain(c.max_points), "evidence": c.evidence}
               for c in rules.general]
    titles = [{"code": code, "label": label, "min_grade": grade} for code, label, grade in rules.titles]
    return {
        "general": general + [{"code": "", "label": "", "max": "", "evidence": ""} for _i in range(BLANK_ROWS)],
        "titles": titles + [{"code": "", "label": "", "min_grade": "good"} for _i in range(BLANK_ROWS)],
        "general_max": _plain(rules.general_max), "tasks_max": _plain(rules.tasks_max),
        "combination": rules.combination, "weights": {name: _plain(w) for name, w in rules.weights},
        "direction_pct": _pct(rules.direction_share), "unit_failed_pct": _pct(rules.unit_failed_ratio),
        "excellent": _plain(rules.excellent), "good": _plain(rules.good), "done": _plain(rules.done),
        "vetoes": list(rules.vetoes), "cap_pct": _plain(rules.cap_pct), "cap_of": rules.cap_of,
        "party": rules.party, "party_exceeding_pct": _plain(rules.party_exceeding_pct),
        "annual_rule": rules.annual, "min_months": str(rules.min_months),
        "deadline_day": str(rules.annual_deadline[0]), "deadline_month": str(rules.annual_deadline[1]),
        "deadlines": [str(d) for d in rules.deadlines],
        "leave_month": rules.leave.month, "leave_min_days": str(rules.leave.min_days),
        "transfer_month": rules.transfer.month, "transfer_sent_along": rules.transfer.sent_along,
    }


class _Reader:
    def __init__(self, data: Any) -> None:
        self.data = data
        self.errors: Errors = {}
        self.rows: dict[str, list[int]] = {"general": [], "titles": []}  # the form row of each item read

    def text(self, key: str) -> str:
        return str(self.data.get(key, "") or "").strip()

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def number(self, key: str, label: str, *, low: Decimal = Decimal(0), high: Decimal | None = None,
               error_key: str = "") -> Decimal | None:
        raw = self.text(key).replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.add(error_key or key, _("%(field)s: hãy nhập một số.") % {"field": label})
            return None
        if not value.is_finite() or value < low or (high is not None and value > high):
            bound = _("từ %(low)s đến %(high)s") % {"low": low, "high": high} if high is not None else \
                _("từ %(low)s trở lên") % {"low": low}
            self.add(error_key or key, _("%(field)s: giá trị phải %(bound)s.") % {"field": label, "bound": bound})
            return None
        return value

    def whole(self, key: str, label: str, low: int, high: int) -> int | None:
        raw = self.text(key)
        if not raw.isdigit() or not low <= int(raw) <= high:
            self.add(key, _("%(field)s: hãy nhập số nguyên từ %(low)s đến %(high)s.") % {
                "field": label, "low": low, "high": high})
            return None
        return int(raw)


def _general(r: _Reader, rows: int) -> list[dict[str, Any]]:
    out = []
    for i in range(rows):
        p = f"g-{i}-"
        code, label, top = r.text(p + "code"), r.text(p + "label"), r.text(p + "max")
        if r.text(p + "delete") or not (code or label or top):
            continue
        name = _("Tiêu chí %(n)s (%(criterion)s)") % {"n": i + 1, "criterion": label or code or "…"}
        if not code:
            r.add(p + "code", _("%(criterion)s: hãy ghi mã tiêu chí.") % {"criterion": name})
        elif not code.replace("_", "").isalnum() or len(code) > 40:
            r.add(p + "code", _("%(criterion)s, mã: chỉ chữ, số và dấu gạch dưới, tối đa 40 ký tự.") % {
                "criterion": name})
        if not label:
            r.add(p + "label", _("%(criterion)s: hãy ghi tên tiêu chí.") % {"criterion": name})
        points = r.number(p + "max", _("%(criterion)s, điểm tối đa") % {"criterion": name},
                          low=Decimal("0.01"), high=Decimal(100))
        evidence = r.text(p + "evidence")
        if evidence and evidence not in EVIDENCE_KINDS:
            r.add(p + "evidence", _("%(criterion)s: nguồn minh chứng không có.") % {"criterion": name})
        item: dict[str, Any] = {"code": code, "label": label, "max": _plain(points) if points is not None else "0"}
        if evidence:
            item["evidence"] = evidence
        out.append(item)
        r.rows["general"].append(i)
    codes = [g["code"] for g in out if g["code"]]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        r.add("general", _("Mã tiêu chí “%(code)s” bị trùng.") % {"code": code})
    return out


def _titles(r: _Reader, rows: int) -> list[dict[str, str]]:
    out = []
    for i in range(rows):
        p = f"ti-{i}-"
        code, label, grade = r.text(p + "code"), r.text(p + "label"), r.text(p + "min_grade") or "good"
        if r.text(p + "delete") or not (code or label):
            continue
        name = _("Danh hiệu %(n)s (%(title)s)") % {"n": i + 1, "title": label or code}
        if not code or not label:
            r.add(p + "code", _("%(title)s: cần cả mã và tên.") % {"title": name})
        if grade not in TITLE_GRADES:
            r.add(p + "min_grade", _("%(title)s: xếp loại tối thiểu không hợp lệ.") % {"title": name})
        out.append({"code": code, "label": label, "min_grade": grade})
        r.rows["titles"].append(i)
    return out


def read(data: Any, base: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The body posted (over a copy of `base`, the version it started from) and the errors by field."""
    r = _Reader(data)
    body = copy.deepcopy(dict(base))
    rows = r.whole("g-rows", _("Số dòng tiêu chí"), 0, 60) or 0
    body["general"] = _general(r, rows)
    body["titles"] = _titles(r, r.whole("ti-rows", _("Số dòng danh hiệu"), 0, 60) or 0)
    general_max = r.number("general_max", _("Điểm tối đa tiêu chí chung"), high=Decimal(100))
    tasks_max = r.number("tasks_max", _("Điểm tối đa kết quả nhiệm vụ"), high=Decimal(100))
    combination = r.text("combination")
    if combination not in COMBINATIONS:
        r.add("combination", _("Cách kết hợp kết quả nhiệm vụ không hợp lệ."))
    weights = {name: r.number(f"w-{name}", _("Trọng số %(ratio)s") % {"ratio": RATIO_LABELS()[name]},
                              high=Decimal(100)) for name in RATIOS}
    direction = r.number("direction_pct", _("Tỷ trọng tiêu chí chỉ đạo, điều hành"), high=Decimal(100))
    unit_failed = r.number("unit_failed_pct", _("Kết quả đơn vị khi có người không hoàn thành"),
                           high=Decimal(100))
    thresholds = {key: r.number(key, label, high=Decimal(100)) for key, label in (
        ("excellent", _("Ngưỡng “Hoàn thành xuất sắc”")), ("good", _("Ngưỡng “Hoàn thành tốt”")),
        ("done", _("Ngưỡng “Hoàn thành”")))}
    chosen_vetoes = [v for v in data.getlist("vetoes") if v in VETOES] if hasattr(data, "getlist") else \
        [v for v in data.get("vetoes", []) if v in VETOES]
    cap_pct = r.number("cap_pct", _("Tỷ lệ “Hoàn thành xuất sắc” tối đa"), high=Decimal(100))
    cap_of = r.text("cap_of")
    if cap_of not in CAP_OF:
        r.add("cap_of", _("Tỷ lệ xuất sắc tính trên nhóm không hợp lệ."))
    exceeding = r.number("party_exceeding_pct", _("Tỷ lệ sản phẩm vượt yêu cầu"), high=Decimal(100))
    annual_rule = r.text("annual_rule")
    if annual_rule not in ANNUAL_RULES:
        r.add("annual_rule", _("Cách tính kết quả năm không hợp lệ."))
    min_months = r.whole("min_months", _("Số tháng làm việc tối thiểu để xếp loại năm"), 0, 12)
    day = r.whole("deadline_day", _("Hạn xếp loại năm: ngày"), 1, 31)
    month = r.whole("deadline_month", _("Hạn xếp loại năm: tháng"), 1, 12)
    steps = [r.whole(f"d-{i}", _("Hạn bước %(n)s (ngày của tháng sau)") % {"n": i}, 1, 28) for i in (1, 2, 3)]
    leave_month = r.text("leave_month")
    if leave_month not in LEAVE_MONTHS:
        r.add("leave_month", _("Tháng nghỉ theo chế độ: hãy chọn một cách tính trong danh sách."))
    min_days = r.whole("leave_min_days", _("Số ngày làm việc tối thiểu để tháng được tính"), 0, 31)
    transfer_month = r.text("transfer_month")
    if transfer_month not in TRANSFER_MONTHS:
        r.add("transfer_month", _("Tháng chuyển công tác: hãy chọn đơn vị được tính trong danh sách."))
    if r.errors:
        return body, r.errors
    body.update({
        "general_max": _plain(general_max), "tasks_max": _plain(tasks_max), "combination": combination,
        "weights": {k: _plain(v) for k, v in weights.items()},
        "direction": {"share": _plain(direction / 100), "unit_failed_ratio": _plain(unit_failed / 100)},  # type: ignore[operator]
        "thresholds": {k: _plain(v) for k, v in thresholds.items()}, "vetoes": chosen_vetoes,
        "cap": {"pct": _plain(cap_pct), "of": cap_of},
        "party": {"enabled": r.text("party") == "1", "exceeding_pct": _plain(exceeding)},
        "annual": {"rule": annual_rule, "min_months": min_months, "deadline_day": day, "deadline_month": month},
        "deadlines": steps,
        "leave": {"month": leave_month, "min_days": min_days},
        "transfer": {"month": transfer_month, "sent_along": r.text("transfer_sent_along") == "1"},
    })
    if day is not None and month is not None:
        try:
            dt.date(2026, month, day)
        except ValueError:
            r.add("deadline_day", _("Hạn xếp loại năm: ngày %(day)s/%(month)s không có.") % {"day": day,
                                                                                          "month": month})
    try:
        RubricRules.from_data(body)
    except RubricError as exc:
        r.add(_form_key(exc.field, r.rows), str(exc))
    return body, r.errors


def _form_key(field: str, rows: Mapping[str, list[int]]) -> str:
    """The form field a rubric reader's error is shown beside (its n-th item is the form's row)."""
    for part, prefix in (("general", "g"), ("titles", "ti")):
        if field.startswith(part + "["):
            index = int(field[len(part) + 1:-1])
            return f"{prefix}-{rows[part][index]}-code" if index < len(rows[part]) else part
    return {"thresholds": "excellent", "cap": "cap_pct", "annual": "annual_rule", "direction": "direction_pct",
            "party": "party_exceeding_pct", "weights": "w-quantity", "leave": "leave_month",
            "leave.month": "leave_month", "leave.min_days": "leave_min_days", "transfer": "transfer_month",
            "transfer.month": "transfer_month", "transfer.sent_along": "transfer_sent_along",
            }.get(field, field or "body")


def RATIO_LABELS() -> dict[str, str]:  # noqa: N802  # a table, translated when asked
    return {"quantity": _("số lượng"), "quality": _("chất lượng"), "progress": _("tiến độ")}


def posted(data: Any) -> dict[str, Any]:
    """What the form shows again after a refusal: the values as typed."""
    def text(key: str) -> str:
        return str(data.get(key, "") or "").strip()

    def rows(prefix: str, count_key: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
        count = int(text(count_key)) if text(count_key).isdigit() else 0
        return [{k: text(f"{prefix}-{i}-{k}") for k in keys} for i in range(min(count, 60))]

    vetoes = data.getlist("vetoes") if hasattr(data, "getlist") else list(data.get("vetoes", []))
    return {
        "general": rows("g", "g-rows", ("code", "label", "max", "evidence")),
        "titles": rows("ti", "ti-rows", ("code", "label", "min_grade")),
        **{key: text(key) for key in ("general_max", "tasks_max", "combination", "direction_pct", "unit_failed_pct",
                                      "excellent", "good", "done", "cap_pct", "cap_of", "party_exceeding_pct",
                                      "annual_rule", "min_months", "deadline_day", "deadline_month", "leave_month",
                                      "leave_min_days", "transfer_month")},
        "transfer_sent_along": text("transfer_sent_along") == "1",
        "weights": {name: text(f"w-{name}") for name in RATIOS}, "vetoes": vetoes, "party": text("party") == "1",
        "deadlines": [text(f"d-{i}") for i in (1, 2, 3)],
    }
