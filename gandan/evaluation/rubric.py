"""A rubric as data, and the two shipped defaults. Pure (no ORM).

A rubric is a JSON document stored in `Rubric.body` (models.py), dated and versioned; an evaluation
keeps the version it was made with. `RubricRules.from_data` reads it and names what is wrong with it.
The defaults follow Decree 335/2025/NĐ-CP (civil servants) and Regulation 366-QĐ/TW (party members):

- `general`: the general criteria and their maximum points (sum ≤ `general_max`, 30 by default);
  each criterion says which evidence feeds it (`evidence`: "" or one of EVIDENCE_KINDS);
- `tasks_max` (70) and `combination`: how the three task ratios (quantity, quality, progress)
  become points — "mean" (the default: their mean × 70), "weighted" (with `weights`) or "min";
- `direction`: for leaders, the share of the task points given to direction criteria (unit
  results, organising capacity), and the unit result's ratio when a managed cadre failed (50%);
- `thresholds`: the lowest score of excellent, good and done (90, 70, 50);
- `vetoes`: the conditions that grade "Không hoàn thành nhiệm vụ" whatever the score;
- `cap`: the share of excellent (20%) of those graded good-or-better ("good_or_better") or only
  good ("good"), within an agency and within each group of similar tasks;
- `party`: the 366-QĐ/TW extra conditions on excellent and good;
- `annual`: "months" (the mean of the months worked) or "quarters" (the mean of the quarters' means),
  `min_months` worked to be graded, and the annual deadline (day and month);
- `leave`: a month on legitimate, sick or maternity leave is left out of the year ("excluded", Decree 335:
  graded on the period worked) or counted with the mean of the months worked ("worked_mean", so that it
  counts towards `min_months`); a month with fewer than `min_days` days worked is a month on leave (0: only
  a month marked on leave);
- `transfer`: the month of a transfer goes to the unit where more days were worked ("more_days", the new
  unit's on a tie) or to the new unit ("new_unit"); `sent_along`: the old unit's months go into the new
  unit's average (Decree 335: yes);
- `deadlines`: the day of the following month by which each step is due;
- `titles`: the emulation titles the annual review may propose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EVIDENCE_KINDS = ("tasks", "fieldwork", "petitions", "campaigns")
COMBINATIONS = ("mean", "weighted", "min")
RATIOS = ("quantity", "quality", "progress")
VETOES = ("degradation", "discipline", "unit_corruption")
CAP_OF = ("good_or_better", "good")
ANNUAL_RULES = ("months", "quarters")
LEAVE_MONTHS = ("excluded", "worked_mean")
TRANSFER_MONTHS = ("more_days", "new_unit")


class RubricError(ValueError):
    """The rubric's data is not usable: `field` names the part, the message says why."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    max_points: Decimal
    evidence: str = ""  # which evidence feeds it (EVIDENCE_KINDS), shown beside the score


@dataclass(frozen=True)
class LeaveRule:
    """How a month on legitimate, sick or maternity leave counts in the year (see the module's text)."""

    month: str = "excluded"  # LEAVE_MONTHS
    min_days: int = 0  # fewer days worked than this: the month is a month on leave


@dataclass(frozen=True)
class TransferRule:
    """Whose is the month of a transfer, and whether the old unit's months go into the new unit's year."""

    month: str = "more_days"  # TRANSFER_MONTHS
    sent_along: bool = True


@dataclass(frozen=True)
class RubricRules:
    general: tuple[Criterion, ...]
    general_max: Decimal = Decimal(30)
    tasks_max: Decimal = Decimal(70)
    combination: str = "mean"
    weights: tuple[tuple[str, Decimal], ...] = (("quantity", Decimal(1)), ("quality", Decimal(1)),
                                                 ("progress", Decimal(1)))
    direction_share: Decimal = Decimal("0.5")  # of a leader's task points, from the direction criteria
    unit_failed_ratio: Decimal = Decimal("0.5")
    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    done: Decimal = Decimal(50)
    vetoes: tuple[str, ...] = VETOES
    cap_pct: Decimal = Decimal(20)
    cap_of: str = "good_or_better"
    party: bool = False
    party_exceeding_pct: Decimal = Decimal(30)
    annual: str = "months"
    min_months: int = 0
    annual_deadline: tuple[int, int] = (15, 12)  # day, month
    leave: LeaveRule = LeaveRule()
    transfer: TransferRule = TransferRule()
    deadlines: tuple[int, int, int] = (3, 5, 8)  # day of the next month for steps 1, 2 and 3
    titles: tuple[tuple[str, str, str], ...] = ()  # code, label, the lowest grade of the year it needs

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.general if c.code == code), None)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RubricRules:
        """Read a rubric's body; RubricError names the first part that is wrong."""
        if not isinstance(data, Mapping):
            raise RubricError(_("Bộ tiêu chí phải là một đối tượng JSON."))
        general = tuple(_criterion(i, item) for i, item in enumerate(data.get("general") or ()))
        if not general:
            raise RubricError(_("Bộ tiêu chí cần ít nhất một tiêu chí chung."), "general")
        if len({c.code for c in general}) != len(general):
            raise RubricError(_("Mã tiêu chí chung bị trùng."), "general")
        general_max = _dec(data.get("general_max", 30), "general_max")
        tasks_max = _dec(data.get("tasks_max", 70), "tasks_max")
        if general_max + tasks_max != 100:
            raise RubricError(_("Điểm tiêu chí chung và điểm kết quả nhiệm vụ phải cộng lại bằng 100."), "tasks_max")
        if sum(c.max_points for c in general) > general_max:
            raise RubricError(_("Tổng điểm tối đa của các tiêu chí chung vượt %(max)s.") % {"max": general_max},
                              "general")
        combination = str(data.get("combination", "mean"))
        if combination not in COMBINATIONS:
            raise RubricError(_("Cách kết hợp kết quả nhiệm vụ không hợp lệ: %(value)s.") % {"value": combination},
                              "combination")
        raw_weights = data.get("weights") or {name: 1 for name in RATIOS}
        weights = tuple((name, _dec(raw_weights.get(name, 0), "weights")) for name in RATIOS)
        if combination == "weighted" and sum(w for _name, w in weights) <= 0:
            raise RubricError(_("Trọng số kết quả nhiệm vụ phải có ít nhất một số dương."), "weights")
        thresholds = data.get("thresholds") or {}
        excellent = _dec(thresholds.get("excellent", 90), "thresholds")
        good = _dec(thresholds.get("good", 70), "thresholds")
        done = _dec(thresholds.get("done", 50), "thresholds")
        if not 0 < done < good < excellent <= 100:
            raise RubricError(_("Ngưỡng xếp loại phải tăng dần: hoàn thành < tốt < xuất sắc ≤ 100."), "thresholds")
        vetoes = tuple(data.get("vetoes", VETOES))
        unknown = [v for v in vetoes if v not in VETOES]
        if unknown:
            raise RubricError(_("Điều kiện loại trừ không có: %(value)s.") % {"value": ", ".join(unknown)}, "vetoes")
        cap = data.get("cap") or {}
        cap_of = str(cap.get("of", "good_or_better"))
        if cap_of not in CAP_OF:
            raise RubricError(_("Tỷ lệ xuất sắc tính trên nhóm không hợp lệ: %(value)s.") % {"value": cap_of}, "cap")
        cap_pct = _dec(cap.get("pct", 20), "cap")
        annual = data.get("annual") or {}
        rule = str(annual.get("rule", "months"))
        if rule not in ANNUAL_RULES:
            raise RubricError(_("Cách tính kết quả năm không hợp lệ: %(value)s.") % {"value": rule}, "annual")
        direction = data.get("direction") or {}
        party = data.get("party") or {}
        deadlines = tuple(int(d) for d in data.get("deadlines", (3, 5, 8)))
        if len(deadlines) != 3 or not all(1 <= d <= 28 for d in deadlines) or list(deadlines) != sorted(deadlines):
            raise RubricError(_("Hạn ba bước là ba ngày tăng dần, từ 1 đến 28 của tháng sau."), "deadlines")
        return cls(general=general, general_max=general_max, tasks_max=tasks_max, combination=combination,
                   weights=weights, direction_share=_dec(direction.get("share", "0.5"), "direction"),
                   unit_failed_ratio=_dec(direction.get("unit_failed_ratio", "0.5"), "direction"),
                   excellent=excellent, good=good, done=done, vetoes=vetoes, cap_pct=cap_pct, cap_of=cap_of,
                   party=bool(party.get("enabled", False)),
                   party_exceeding_pct=_dec(party.get("exceeding_pct", 30), "party"), annual=rule,
                   min_months=int(annual.get("min_months", 0)),
                   annual_deadline=(int(annual.get("deadline_day", 15)), int(annual.get("deadline_month", 12))),
                   deadlines=(deadlines[0], deadlines[1], deadlines[2]),
                   leave=_leave(data.get("leave")), transfer=_transfer(data.get("transfer")),
                   titles=tuple(_title(i, t) for i, t in enumerate(data.get("titles", ()))))


def _dec(value: Any, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RubricError(_("Giá trị không phải là số: %(value)s.") % {"value": value}, field) from exc
    if not result.is_finite() or result < 0:
        raise RubricError(_("Giá trị phải là số không âm: %(value)s.") % {"value": value}, field)
    return result


def _part(value: Any, name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RubricError(_("Phần “%(part)s” của bộ tiêu chí phải là một đối tượng JSON.") % {"part": name}, name)
    return value


def _leave(value: Any) -> LeaveRule:
    data = _part(value, "leave")
    month = str(data.get("month", "excluded"))
    if month not in LEAVE_MONTHS:
        raise RubricError(_("Cách tính tháng nghỉ theo chế độ không hợp lệ: %(value)s.") % {"value": month},
                          "leave.month")
    days = data.get("min_days", 0)
    if isinstance(days, bool) or not isinstance(days, int | str) or not str(days).isdigit() or int(days) > 31:
        raise RubricError(_("Số ngày làm việc tối thiểu để tháng được tính là số nguyên từ 0 đến 31: %(value)s.")
                          % {"value": days}, "leave.min_days")
    return LeaveRule(month=month, min_days=int(days))


def _transfer(value: Any) -> TransferRule:
    data = _part(value, "transfer")
    month = str(data.get("month", "more_days"))
    if month not in TRANSFER_MONTHS:
        raise RubricError(_("Tháng chuyển công tác tính cho đơn vị không hợp lệ: %(value)s.") % {"value": month},
                          "transfer.month")
    sent_along = data.get("sent_along", True)
    if not isinstance(sent_along, bool):
        raise RubricError(_("Chuyển kết quả các tháng ở đơn vị cũ theo phải là true hoặc false: %(value)s.")
                          % {"value": sent_along}, "transfer.sent_along")
    return TransferRule(month=month, sent_along=sent_along)


def _title(index: int, item: Any) -> tuple[str, str, str]:
    if not isinstance(item, Mapping) or not item.get("code") or not item.get("label"):
        raise RubricError(_("Danh hiệu thứ %(n)s cần mã và tên.") % {"n": index + 1}, f"titles[{index}]")
    grade = str(item.get("min_grade", "good"))
    if grade not in ("excellent", "good", "done"):
        raise RubricError(_("Danh hiệu thứ %(n)s: xếp loại tối thiểu không hợp lệ.") % {"n": index + 1},
                          f"titles[{index}]")
    return str(item["code"]), str(item["label"]), grade


def _criterion(index: int, item: Any) -> Criterion:
    field = f"general[{index}]"
    if not isinstance(item, Mapping) or not item.get("code") or not item.get("label"):
        raise RubricError(_("Tiêu chí chung thứ %(n)s cần mã và tên.") % {"n": index + 1}, field)
    evidence = str(item.get("evidence", ""))
    if evidence and evidence not in EVIDENCE_KINDS:
        raise RubricError(_("Nguồn minh chứng không có: %(value)s.") % {"value": evidence}, field)
    points = _dec(item.get("max", 0), field)
    if points <= 0:
        raise RubricError(_("Tiêu chí chung thứ %(n)s cần điểm tối đa dương.") % {"n": index + 1}, field)
    return Criterion(code=str(item["code"]), label=str(item["label"]), max_points=points, evidence=evidence)


def shown_label(label: str) -> str:
    """A criterion's or title's name in the user's language: the shipped defaults' names are in the
    catalogue (English in the .po); a name an administrator typed is shown as typed."""
    return _(label) if label in SHIPPED_LABELS else label


TITLES = [
    {"code": "ldtt", "label": gettext_noop("Lao động tiên tiến"), "min_grade": "good"},
    {"code": "cstdcs", "label": gettext_noop("Chiến sĩ thi đua cơ sở"), "min_grade": "excellent"},
    {"code": "gk_ct", "label": gettext_noop("Giấy khen của Chủ tịch UBND"), "min_grade": "excellent"},
]

# Decree 335/2025/NĐ-CP, Art. 13–15: general criteria 30 points, task results 70.
DECREE_335: dict[str, Any] = {
    "general": [
        {"code": "politics", "max": 10,
         "label": gettext_noop("Chính trị, tư tưởng, đạo đức, lối sống, văn hóa, kỷ luật, kỷ cương")},
        {"code": "capacity", "max": 10, "evidence": "petitions",
         "label": gettext_noop("Năng lực, trách nhiệm, thái độ phục vụ nhân dân, phối hợp")},
        {"code": "grassroots", "label": gettext_noop("Đi cơ sở, bám địa bàn, tham gia phong trào"), "max": 5,
         "evidence": "fieldwork"},
        {"code": "innovation", "label": gettext_noop("Đổi mới, sáng tạo, dám nghĩ, dám làm"), "max": 5,
         "evidence": "campaigns"},
    ],
    "general_max": 30, "tasks_max": 70, "combination": "mean",
    "direction": {"share": "0.5", "unit_failed_ratio": "0.5"},
    "thresholds": {"excellent": 90, "good": 70, "done": 50},
    "vetoes": list(VETOES),
    "cap": {"pct": 20, "of": "good_or_better"},
    "annual": {"rule": "months", "min_months": 0, "deadline_day": 15, "deadline_month": 12},
    # Decree 335: a cadre on legitimate, sick or maternity leave is graded on the period worked; on a transfer
    # the new unit grades, with the old unit's results sent along into the average
    "leave": {"month": "excluded", "min_days": 0},
    "transfer": {"month": "more_days", "sent_along": True},
    "deadlines": [3, 5, 8],
    "titles": TITLES,
}

# Regulation 366-QĐ/TW (2025): party members, the same frame with extra conditions; the year from the quarters.
REGULATION_366: dict[str, Any] = {
    **DECREE_335,
    "general": [
        {"code": "politics", "max": 15,
         "label": gettext_noop("Tư tưởng chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật")},
        {"code": "duty", "label": gettext_noop("Thực hiện nhiệm vụ đảng viên, gắn bó với nhân dân"), "max": 15,
         "evidence": "fieldwork"},
    ],
    "party": {"enabled": True, "exceeding_pct": 30},
    "annual": {"rule": "quarters", "min_months": 0, "deadline_day": 15, "deadline_month": 12},
    "vetoes": ["degradation", "discipline"],
}

SHIPPED_LABELS = frozenset(str(item["label"]) for body in (DECREE_335, REGULATION_366)
                           for part in ("general", "titles") for item in body[part])
