"""Forms of the assignment pages: they parse and keep what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.assignments import rules as R
from gandan.assignments.models import AgencyLevel, FollowerRole, TargetLevel
from gandan.people.models import Cadre

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker's value, or dd/mm/yyyy typed where there is none


def cadre_choices(cadres: Iterable[tuple[Cadre, int]]) -> list[tuple[str, str]]:
    """(id, "Name — agency · load") for a select."""
    return [(str(c.pk), f"{c.full_name} — {c.agency.name} · {load}") for c, load in cadres]


class AssignForm(forms.Form):
    """One cadre for one target, or for every target selected in a list."""

    cadre = forms.TypedChoiceField(label=gettext_lazy("Cán bộ"), coerce=int,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=FollowerRole.choices, initial=FollowerRole.PRIMARY,
                             widget=forms.Select(attrs={"class": "form-select"}))
    start = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DATE_INPUT, initial=timezone.localdate,
                            input_formats=DATE_FORMATS)
    end = forms.DateField(label=gettext_lazy("Đến ngày (không tính ngày này)"), required=False, widget=DATE_INPUT,
                          input_formats=DATE_FORMATS)

    def __init__(self, *args: Any, cadres: Iterable[tuple[Cadre, int]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", _("— chọn cán bộ —")), *cadre_choices(cadres)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problem = R.date_problem(data.get("start"), data.get("end")) if data.get("start") else None
        if problem:
            self.add_error("end", problem)
        return data


class EndForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Ngày thôi theo dõi"), widget=DATE_INPUT, initial=timezone.localdate,
                            input_formats=DATE_FORMATS)


class TransferForm(forms.Form):
    cadre = forms.TypedChoiceField(label=gettext_lazy("Chuyển cho cán bộ"), coerce=int,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    on = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DATE_INPUT, initial=timezone.localdate,
                            input_formats=DATE_FORMATS)

    def __init__(self, *args: Any, cadres: Iterable[tuple[Cadre, int]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", _("— chọn cán bộ —")), *cadre_choices(cadres)]


# Every pair a province may name: a level follows only levels below its own.
RULE_PAIRS = [(a, t) for a in AgencyLevel.values for t in TargetLevel.values if R.LEVEL_RANK[t] > R.LEVEL_RANK[a]]


def rule_key(agency_level: str, target_level: str) -> str:
    return f"{agency_level}-{target_level}"


class RulesForm(forms.Form):
    """One row per possible pair of levels: on/off, primary, supporting, load cap."""

    def __init__(self, *args: Any, current: Iterable[R.RuleSpec] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        given = {(r.agency_level, r.target_level): r for r in current}
        self.rows = []
        for agency, target in RULE_PAIRS:
            key = rule_key(agency, target)
            rule = given.get((agency, target))
            self.fields[f"{key}-on"] = forms.BooleanField(required=False, initial=rule is not None)
            self.fields[f"{key}-primary"] = forms.BooleanField(required=False,
                                                               initial=rule.primary_allowed if rule else True)
            self.fields[f"{key}-supporting"] = forms.BooleanField(required=False,
                                                                  initial=rule.supporting_allowed if rule else True)
            self.fields[f"{key}-cap"] = forms.IntegerField(
                required=False, min_value=1, max_value=10_000, initial=rule.load_cap if rule else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width:7rem"}))
            self.rows.append((agency, target, key))

    def bound_rows(self) -> list[dict[str, Any]]:
        return [{"agency": a, "target": t, "on": self[f"{k}-on"], "primary": self[f"{k}-primary"],
                 "supporting": self[f"{k}-supporting"], "cap": self[f"{k}-cap"]} for a, t, k in self.rows]

    def rules(self) -> list[R.RuleSpec]:
        data = self.cleaned_data
        return [R.RuleSpec(a, t, data[f"{k}-primary"], data[f"{k}-supporting"], data[f"{k}-cap"])
                for a, t, k in self.rows if data[f"{k}-on"]]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel .xlsx"), widget=forms.ClearableFileInput(
        attrs={"class": "form-control", "accept": ".xlsx"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa %(max)s.") % {
                "max": filesizeformat(settings.IMPORT_MAX_BYTES)})
        return upload
