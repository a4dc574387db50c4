"""The forms of a province's configuration page (settings_views): they parse what was typed; the rules
(which codes, how long a deadline may be, which days are working days) stay in config_services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.tabular import parse_date
from gandan.org.models import AdminUnit
from gandan.petitions import config
from gandan.petitions.forms import bootstrap
from gandan.petitions.models import PetitionField, Urgency

WEEKDAYS = [(0, "Thứ Hai"), (1, "Thứ Ba"), (2, "Thứ Tư"), (3, "Thứ Năm"), (4, "Thứ Sáu"), (5, "Thứ Bảy"),
            (6, "Chủ nhật")]
BAD_TIME = _("Giờ phải dạng HH:MM, ví dụ 07:30.")
HOUR: dict[str, Any] = {"input_formats": ["%H:%M", "%H:%M:%S"], "widget": forms.TimeInput(format="%H:%M"),
                        "error_messages": {"required": BAD_TIME, "invalid": BAD_TIME}}


class ConfigForm(forms.Form):
    """Small Bootstrap inputs named for screen readers; ids prefixed with `id_prefix`, as the page holds
    several forms."""

    id_prefix = ""

    def __init__(self, *args: Any, province: AdminUnit | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.province = province
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):  # those have their labels
                field.widget.attrs.setdefault("aria-label", field.label)
        if not self.is_bound:
            bootstrap(self, small=True)  # a bound form gets its classes once validated (full_clean)

    def full_clean(self) -> None:
        super().full_clean()
        bootstrap(self, small=True)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        bootstrap(self, small=True)


class RuleForm(ConfigForm):
    """A deadline rule: how long a stage may take, for all concerns or those of a field, urgency, level."""

    id_prefix = "rule"
    stage = forms.ChoiceField(label=_("Giai đoạn"), choices=[("resolve", _("Giải quyết")), ("accept", _("Tiếp nhận"))])
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    urgency = forms.ChoiceField(label=_("Mức độ"), required=False, choices=[("", _("Mọi mức độ")), *Urgency.choices])
    level = forms.ChoiceField(label=_("Cấp"), required=False, choices=[
        ("", _("Mọi cấp")), ("commune", _("Cấp xã")), ("province", _("Cấp tỉnh"))])
    amount = forms.IntegerField(label=_("Thời hạn"), required=False, widget=forms.NumberInput(
        attrs={"min": 1, "max": 365, "placeholder": "10"}))
    unit = forms.ChoiceField(label=_("Đơn vị thời gian"), choices=[
        ("days", _("ngày làm việc")), ("hours", _("giờ làm việc"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Mọi lĩnh vực"))] + [  # type: ignore[attr-defined]  # a ChoiceField
            (f.code, f.label) for f in config.fields_for(self.province, include_inactive=True)]

    def clean_amount(self) -> int:
        return self.cleaned_data["amount"] or 0  # the service says which amounts are allowed


class FieldForm(ConfigForm):
    """Add a field of concerns, or change the names of one (or stop using it) by typing its code."""

    id_prefix = "field"
    code = forms.CharField(label=_("Mã"), required=False, max_length=PetitionField._meta.get_field("code").max_length,
                           widget=forms.TextInput(attrs={"placeholder": _("mã")}))
    name_vi = forms.CharField(label=_("Tên"), required=False,
                              max_length=PetitionField._meta.get_field("name_vi").max_length,
                              widget=forms.TextInput(attrs={"placeholder": _("Tên")}))
    name_en = forms.CharField(label=_("Tiếng Anh"), required=False,
                              max_length=PetitionField._meta.get_field("name_en").max_length,
                              widget=forms.TextInput(attrs={"placeholder": "English"}))
    description = forms.CharField(required=False,
                                  max_length=PetitionField._meta.get_field("description").max_length)
    active = forms.BooleanField(label=_("Dùng"), required=False, initial=True)


class PolicyForm(ConfigForm):
    """How many days after closing a citizen may still reopen a concern."""

    id_prefix = "policy"
    reopen_days = forms.IntegerField(label=_("Số ngày người dân được mở lại sau khi hoàn thành"), min_value=1,
                                     max_value=365)


class WorkingTimeForm(ConfigForm):
    """The working hours (a morning and an afternoon) and the working weekdays."""

    id_prefix = "working"
    morning_start = forms.TimeField(label=_("Sáng từ"), **HOUR)
    morning_end = forms.TimeField(label=_("Sáng đến"), **HOUR)
    afternoon_start = forms.TimeField(label=_("Chiều từ"), **HOUR)
    afternoon_end = forms.TimeField(label=_("Chiều đến"), **HOUR)
    weekdays = forms.TypedMultipleChoiceField(label=_("Ngày làm việc"), required=False, coerce=int,
                                              choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not self.errors:
            data["periods"] = ((data["morning_start"], data["morning_end"]),
                               (data["afternoon_start"], data["afternoon_end"]))
        return data


class HolidayForm(ConfigForm):
    """A day off of the province, or a working day (to make up for a bridge, or to cancel a default day off)."""

    id_prefix = "holiday"
    date = forms.CharField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Tên"), required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("Tên ngày nghỉ hoặc lý do")}))
    working_day = forms.BooleanField(label=_("làm việc"), required=False)

    def clean_date(self) -> dt.date:
        try:
            return parse_date(self.cleaned_data["date"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
