"""Forms of the field-work pages: list filters, visit edit, meetings, month locks, topics and quotas.
They parse and validate; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as InputRefused

from gandan.fieldwork.inputs import VisitPatch
from gandan.fieldwork.models import AttendanceStatus, MeetingKind, VisitKind
from gandan.people.models import EmploymentType

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class Bootstrap(forms.BaseForm):
    """Adds Bootstrap's classes to every widget (and is-invalid to fields with errors)."""

    small = False

    def style(self) -> None:
        size = "-sm" if self.small else ""
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = f"form-select form-select{size}" if size else "form-select"
            else:
                css = f"form-control form-control{size}" if size else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self.style()


def parse_month(text: str | None, default: dt.date | None = None) -> dt.date:
    """"2025-09" or "09/2025" → 1 September 2025; anything else → the default (this month)."""
    text = (text or "").strip()
    for fmt in ("%Y-%m", "%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return (default or timezone.localdate()).replace(day=1)


class VisitFilterForm(Bootstrap, forms.Form):
    small = True
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Cán bộ"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Tên cán bộ")}))
    cadre = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + VisitKind.choices)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=DateInput())
    flagged = forms.BooleanField(label=_("Chỉ lần cần xem lại"), required=False)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Toàn phạm vi"))] + [  # type: ignore[attr-defined]  # a ChoiceField
            (u.pk, ("— " if u.depth > units[0].depth else "") + u.name) for u in units] if units else [("", "—")]
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("“Đến ngày” phải sau “Từ ngày”."))
        return data


class VisitEditForm(Bootstrap, forms.Form):
    date = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS, widget=DateInput())
    kind = forms.ChoiceField(label=_("Loại"), choices=VisitKind.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Ghi chú"), required=False, max_length=10000, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args: Any, topics: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[f"finding_{topic.code}"] = forms.CharField(
                label=topic.label, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
        self.style()

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày chưa đến: chỉ ghi lần đi cơ sở đã diễn ra."))
        return day

    def findings(self) -> dict[str, str]:
        return {t.code: self.cleaned_data.get(f"finding_{t.code}", "") for t in self.topics}

    def clean(self) -> dict[str, Any]:
        """Build the correction here, so that what its type refuses (a control character…) is a field's error."""
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if self.errors:
            return data
        try:
            self.patch = VisitPatch(date=data["date"], kind=data["kind"], notes=data["notes"],
                                    findings=self.findings())
        except InputRefused as exc:
            for error in exc.errors():
                loc = error["loc"]
                name = f"finding_{loc[1]}" if loc[0] == "findings" and len(loc) > 1 else str(loc[0])
                self.add_error(name if name in self.fields else None, error["msg"])
        return data

    def changes(self) -> VisitPatch:
        """The correction, as the API's PATCH sends it (the places are not edited here)."""
        return self.patch


class MeetingForm(Bootstrap, forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=MeetingKind.choices)
    party_cell = forms.TypedChoiceField(label=_("Chi bộ"), coerce=int, required=False, empty_value=None)
    date = forms.DateField(label=_("Ngày họp"), input_formats=DATE_FORMATS, widget=DateInput())
    title = forms.CharField(label=_("Nội dung"), required=False, max_length=250)
    secretary = forms.TypedChoiceField(label=_("Thư ký (ghi điểm danh)"), coerce=int, required=False,
                                       empty_value=None)

    def chosen_unit(self) -> int | None:
        """The unit chosen so far (posted, or given to the blank form), whose cells and cadres are offered."""
        value = str(self["unit"].value() or "")
        return int(value) if value.isdigit() else None

    def offer(self, *, units: list[Any], cells: list[Any], cadres: list[Any]) -> None:
        """The choices, once the chosen unit is known (before validating)."""
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["party_cell"].choices = [("", "—")] + [(c.pk, c.name) for c in cells]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["secretary"].choices = [("", "—")] + [(c.pk, f"{c.full_name} — {c.position}") for c in cadres]  # type: ignore[attr-defined]  # a ChoiceField
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("kind") == MeetingKind.PARTY_CELL and not data.get("party_cell"):
            self.add_error("party_cell", _("Hãy chọn chi bộ cho buổi sinh hoạt chi bộ."))
        return data


ATTENDANCE_CHOICES = AttendanceStatus.choices


class AttendanceForm(Bootstrap, forms.Form):
    """The attendance sheet: one choice per cadre the user may mark (everyone for the secretary, else only
    themself); `rows` pairs each line of the sheet with its choice, or None when the user only reads it."""

    def __init__(self, *args: Any, sheet: list[tuple[Any, Any]], markable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cadre, row in sheet:
            if markable(cadre):
                self.fields[f"status_{cadre.pk}"] = forms.ChoiceField(
                    label=cadre.full_name, required=False, choices=ATTENDANCE_CHOICES, widget=forms.RadioSelect,
                    initial=row.status if row else None)
        self.rows = [(cadre, row, self[f"status_{cadre.pk}"] if f"status_{cadre.pk}" in self.fields else None)
                     for cadre, row in sheet]

    def entries(self) -> dict[int, str]:
        """Cadre id → the status chosen (lines left blank are not recorded)."""
        return {int(name.removeprefix("status_")): value for name, value in self.cleaned_data.items() if value}


class MonthForm(Bootstrap, forms.Form):
    month = forms.CharField(label=_("Tháng"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def clean_month(self) -> dt.date:
        month = parse_month(self.cleaned_data["month"], default=dt.date(1, 1, 1))
        if month.year == 1:
            raise forms.ValidationError(_("Tháng phải có dạng mm/yyyy."))
        return month


class LockForm(MonthForm):
    confirm = forms.BooleanField(label=_("Tôi hiểu: sau khi khóa, không ai ghi hay sửa được số liệu đi cơ sở, "
                                         "ảnh và điểm danh của tháng này."), required=True)

    def clean_month(self) -> dt.date:
        month = super().clean_month()
        if month > timezone.localdate():
            raise forms.ValidationError(_("Không khóa được tháng chưa đến."))
        return month


class UnlockForm(MonthForm):
    """Reopen a locked month (the page's "unlock" buttons)."""


class TopicForm(Bootstrap, forms.Form):
    code = forms.SlugField(label=_("Mã"), required=False, max_length=40)
    name_vi = forms.CharField(label=_("Tên chủ đề"), max_length=200)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), required=False, max_length=200)
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class QuotaForm(Bootstrap, forms.Form):
    level = forms.ChoiceField(label=_("Cấp của cán bộ"), choices=[("commune", _("Xã, phường")),
                                                                  ("province", _("Tỉnh, thành phố"))])
    employment_type = forms.ChoiceField(label=_("Loại cán bộ"), required=False,
                                        choices=[("", _("Tất cả"))] + EmploymentType.choices)
    field_days = forms.IntegerField(label=_("Ngày xuống thôn, bản / tháng"), min_value=0, max_value=31)
    visits = forms.IntegerField(label=_("Lần đi cơ sở / tháng"), min_value=0, max_value=200)
    meeting_pct = forms.IntegerField(label=_("Dự họp ở địa bàn phụ trách (%)"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
