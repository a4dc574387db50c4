"""Assignment rules as plain values: which agency level follows which target level, the defaults,
and the checks every assignment must pass. No ORM: tested without a database.

Two-tier default (since 1 July 2025): province cadres follow communes; commune cadres follow
villages and households. Three-tier (old data): province → commune, district → village,
commune → household ("Tỉnh nắm tới xã; huyện nắm tới ấp, khu phố; xã nắm tới hộ gia đình").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

LEVEL_RANK = {"province": 0, "district": 1, "commune": 2, "village": 3, "household": 4}
PRIMARY, SUPPORTING = "primary", "supporting"
PATH_SEP = "."

# One level, in a sentence ("cán bộ cấp xã", "commune cadres"): context "cấp" keeps them apart from the
# plural labels of imports ("thôn, bản" → "villages").
LEVEL_WORDS = {"province": pgettext_lazy("cấp", "tỉnh"), "district": pgettext_lazy("cấp", "huyện"),
               "commune": pgettext_lazy("cấp", "xã"), "village": pgettext_lazy("cấp", "thôn, bản"),
               "household": pgettext_lazy("cấp", "hộ gia đình")}


@dataclass(frozen=True)
class RuleSpec:
    agency_level: str
    target_level: str
    primary_allowed: bool = True
    supporting_allowed: bool = True
    load_cap: int | None = None

    def allows(self, role: str) -> bool:
        return self.primary_allowed if role == PRIMARY else self.supporting_allowed


TWO_TIER: tuple[RuleSpec, ...] = (
    RuleSpec("province", "commune", load_cap=2),
    RuleSpec("commune", "village", load_cap=3),
    RuleSpec("commune", "household", load_cap=40),
)
THREE_TIER: tuple[RuleSpec, ...] = (
    RuleSpec("province", "commune", load_cap=2),
    RuleSpec("district", "village", load_cap=3),
    RuleSpec("commune", "household", load_cap=40),
)
DEFAULT_RULES = TWO_TIER


def rule_for(rules: Iterable[RuleSpec], agency_level: str, target_level: str) -> RuleSpec | None:
    return next((r for r in rules if r.agency_level == agency_level and r.target_level == target_level), None)


def validate_rule_set(rules: Iterable[RuleSpec]) -> list[str]:
    """Sentences for what is wrong with a rule set (empty when it is fine)."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for r in rules:
        key = (r.agency_level, r.target_level)
        if r.agency_level not in ("province", "district", "commune"):
            problems.append(_("Cấp cơ quan không hợp lệ: %(level)s") % {"level": r.agency_level})
            continue
        if r.target_level not in ("district", "commune", "village", "household"):
            problems.append(_("Cấp địa bàn không hợp lệ: %(level)s") % {"level": r.target_level})
            continue
        if LEVEL_RANK[r.target_level] <= LEVEL_RANK[r.agency_level]:
            problems.append(_("Cấp %(agency)s chỉ theo dõi địa bàn cấp dưới, không theo dõi %(target)s")
                            % {"agency": LEVEL_WORDS[r.agency_level], "target": LEVEL_WORDS[r.target_level]})
        if key in seen:
            problems.append(_("Quy tắc %(agency)s → %(target)s bị lặp")
                            % {"agency": r.agency_level, "target": r.target_level})
        if r.load_cap is not None and r.load_cap < 1:
            problems.append(_("Định mức phải từ 1 trở lên"))
        seen.add(key)
    return problems


def lies_within(path: str, ancestor_path: str) -> bool:
    return path == ancestor_path or path.startswith(ancestor_path + PATH_SEP)


def rule_violation(rules: Iterable[RuleSpec], *, agency_level: str, cadre_unit_path: str, target_level: str,
                   target_area_path: str, role: str) -> str | None:
    """Why cadre (of an agency at `agency_level`, unit path `cadre_unit_path`) may not follow a target
    of `target_level` lying in `target_area_path` as `role`; None when allowed.

    The target must lie below the cadre's own unit (a commune cadre follows only its commune's
    villages and households; a province cadre only its province's communes), and a rule must
    allow that pair of levels for that role."""
    rule = rule_for(rules, agency_level, target_level)
    levels = {"agency": LEVEL_WORDS.get(agency_level, agency_level),
              "target": LEVEL_WORDS.get(target_level, target_level)}
    if rule is None:
        return _("Quy tắc phân công của tỉnh không cho cán bộ cấp %(agency)s theo dõi %(target)s") % levels
    if not rule.allows(role):
        if role == PRIMARY:
            return _("Quy tắc không cho cán bộ cấp %(agency)s phụ trách chính %(target)s") % levels
        return _("Quy tắc không cho cán bộ cấp %(agency)s hỗ trợ %(target)s") % levels
    if not target_area_path.startswith(cadre_unit_path + PATH_SEP):
        return _("Địa bàn không thuộc đơn vị của cán bộ (cán bộ cấp %(agency)s chỉ theo dõi địa bàn trong "
                 "%(agency)s mình)") % levels
    return None


def date_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    if start is None:
        return _("Thiếu ngày bắt đầu")
    if end is not None and end < start:
        return _("Ngày kết thúc trước ngày bắt đầu")
    return None


def overlaps(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Do [a_start, a_end) and [b_start, b_end) share a day? (None = open-ended; an empty interval,
    end == start, is a cancelled assignment and overlaps nothing)."""
    if a_end == a_start or b_end == b_start:
        return False
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)
