"""Forms of the assignment pages: they parse and keep what was typed; the services decide."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.assignments import rules as R
from gandan.assignments.checks import HOUSEHOLD, UNIT
from gandan.assignments.models import AgencyLevel, FollowerRole, TargetLevel
from gandan.core.imports import RowError
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
        self.fields["cadre"].choices = [("", _("— chọn cán bộ —")), *cadre_choices(cadres)]  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        problem = R.date_problem(data.get("start"), data.get("end")) if data.get("start") else None
        if problem:
            self.add_error("end", problem)
        return data


class TargetsField(forms.MultipleChoiceField):
    """The rows ticked in a gap list: "unit:<id>" or "household:<id>" (the page shows them, so no fixed choices)."""

    SHAPE = re.compile(rf"^(?:{UNIT}|{HOUSEHOLD}):\d+$")
    default_error_messages = {"required": gettext_lazy("Hãy đánh dấu ít nhất một địa bàn trong danh sách.")}

    def valid_value(self, value: str) -> bool:
        return bool(self.SHAPE.match(value))


class BulkAssignForm(AssignForm):
    """One cadre for every gap ticked in the coverage page's list."""

    target = TargetsField()

    def targets(self) -> tuple[list[int], list[int]]:
        """Ids of the units and of the households ticked, each sorted."""
        units: list[int] = []
        households: list[int] = []
        for value in sorted(self.cleaned_data["target"]):
            kind, _sep, pk = value.partition(":")
            (households if kind == HOUSEHOLD else units).append(int(pk))
        return units, households


class EndForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Ngày thôi theo dõi"), widget=DATE_INPUT, initial=timezone.localdate,
                            input_formats=DATE_FORMATS)
    next = forms.CharField(required=False)

    def __init__(self, *args: Any, host: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_next(self) -> str:
        """The page to go back to: only a path of this site (anything else is dropped, not followed)."""
        target = self.cleaned_data["next"]
        return target if url_has_allowed_host_and_scheme(target, allowed_hosts={self.host}) else ""


def pick_name(row: Any) -> str:
    return f"pick-{row.gap.kind}-{row.gap.id}"


class ProposalForm(forms.Form):
    """The user's pick on every row of a proposal: a cadre id, or blank to leave the gap for later. Which
    cadres are allowed is the service's to say, row by row."""

    def __init__(self, *args: Any, proposal: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        for row in proposal.rows:
            self.fields[pick_name(row)] = forms.IntegerField(required=False, min_value=1)

    def picks(self) -> list[tuple[str, int, int]]:
        """(kind, target id, cadre id) of each row given a cadre."""
        return [(row.gap.kind, row.gap.id, self.cleaned_data[pick_name(row)]) for row in self.proposal.rows
                if self.cleaned_data.get(pick_name(row)) is not None]

    def keep_picks(self) -> None:
        """Show each row with the user's pick when the page comes back (validated first)."""
        for row in self.proposal.rows:
            row.cadre_id = self.cleaned_data.get(pick_name(row))

    def row_errors(self) -> list[RowError]:
        """The form's errors with the number of the row they are on, as the page lists the service's."""
        return [RowError(line, "ma_can_bo", str(message)) for line, row in enumerate(self.proposal.rows, start=1)
                for message in self.errors.get(pick_name(row), [])]


class TransferForm(forms.Form):
    cadre = forms.TypedChoiceField(label=gettext_lazy("Chuyển cho cán bộ"), coerce=int,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    on = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DATE_INPUT, initial=timezone.localdate,
                            input_formats=DATE_FORMATS)

    def __init__(self, *args: Any, cadres: Iterable[tuple[Cadre, int]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", _("— chọn cán bộ —")), *cadre_choices(cadres)]  # type: ignore[attr-defined]  # a ChoiceField


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
