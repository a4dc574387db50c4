"""HTML forms of the plans: each builds the same input types the API takes (inputs.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gandan.plans.inputs import AssessIn, CauseIn, ProgressIn, TaskIn, WorkLogIn
from gandan.plans.models import CatalogueItem, CauseKind, Outcome, PeriodKind, TargetKind

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date input sends ISO; a typed date is Vietnamese


class TaskForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    catalogue_item = forms.ModelChoiceField(label=_("Nhiệm vụ trong danh mục"), required=False,
                                            queryset=CatalogueItem.objects.none(), widget=forms.Select(attrs=SELECT),
                                            empty_label=_("— ngoài danh mục (trọng số thỏa thuận) —"))
    weight = forms.DecimalField(label=_("Trọng số quy đổi thỏa thuận"), required=False, min_value=Decimal("0.01"),
                                max_digits=7, decimal_places=2,
                                widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}))
    target_kind = forms.ChoiceField(label=_("Chỉ tiêu"), choices=TargetKind.choices, initial=TargetKind.DONE,
                                    widget=forms.Select(attrs=SELECT))
    target_quantity = forms.DecimalField(label=_("Số lượng cần đạt"), required=False, min_value=Decimal("0.01"),
                                         max_digits=12, decimal_places=2, widget=forms.NumberInput(attrs=TEXT))
    target_unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=80,
                                  widget=forms.TextInput(attrs=TEXT))
    due_on = forms.DateField(label=_("Hạn hoàn thành"), input_formats=DATE_FORMATS,
                             widget=forms.DateInput(format="%Y-%m-%d", attrs={**TEXT, "type": "date"}))
    period = forms.ChoiceField(label=_("Kỳ kế hoạch"), choices=PeriodKind.choices, initial=PeriodKind.MONTH,
                               widget=forms.Select(attrs=SELECT))
    # What the task serves: chosen among what the owner follows, holds or attends (queries.link_choices);
    # one the user sees may also come from a link "add a task for this" (?unit=…); the service checks it.
    unit = forms.IntegerField(label=_("Phục vụ địa bàn theo dõi"), required=False, widget=forms.Select(attrs=SELECT))
    petition = forms.IntegerField(label=_("Phục vụ phản ánh đang giữ"), required=False,
                                  widget=forms.Select(attrs=SELECT))
    campaign = forms.IntegerField(label=_("Phục vụ phong trào"), required=False, widget=forms.Select(attrs=SELECT))
    meeting = forms.IntegerField(label=_("Phục vụ cuộc họp"), required=False, widget=forms.Select(attrs=SELECT))
    LINKS = ("unit", "petition", "campaign", "meeting")

    def __init__(self, *args: Any, agency_id: int | None = None,
                 links: dict[str, list[tuple[int, str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency_id is not None:
            field = self.fields["catalogue_item"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = CatalogueItem.objects.current().filter(agency_id=agency_id).order_by("group", "code")
        for name in self.LINKS:
            offered = (links or {}).get(name, [])
            widget = self.fields[name].widget
            assert isinstance(widget, forms.Select)
            widget.choices = [("", _("— không —")), *offered]

    @property
    def link_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LINKS]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name not in self.LINKS]

    def to_input(self, cadre_id: int | None) -> TaskIn:
        data = self.cleaned_data
        item = data.get("catalogue_item")
        return TaskIn(client_uuid=data["client_uuid"], title=data["title"], due_on=data["due_on"], cadre_id=cadre_id,
                      catalogue_item_id=item.pk if item else None, weight=data.get("weight"),
                      target_kind=data["target_kind"], target_quantity=data.get("target_quantity"),
                      target_unit=data.get("target_unit") or "", period=data["period"],
                      unit_id=data.get("unit") or None, petition_id=data.get("petition") or None,
                      meeting_id=data.get("meeting") or None, campaign_id=data.get("campaign") or None)


class EvidenceMixin(forms.Form):
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False,
                               widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".pdf,image/*,.docx,.xlsx"}))
    evidence_link = forms.URLField(label=_("Hoặc đường dẫn minh chứng"), required=False, max_length=500,
                                   assume_scheme="https", widget=forms.URLInput(attrs=TEXT))


class ProgressForm(EvidenceMixin):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    quantity = forms.DecimalField(label=_("Số lượng đã làm đến nay"), required=False, min_value=Decimal(0),
                                  max_digits=12, decimal_places=2,
                                  widget=forms.NumberInput(attrs={**TEXT, "inputmode": "decimal"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def to_input(self) -> ProgressIn:
        data = self.cleaned_data
        return ProgressIn(client_uuid=data["client_uuid"], quantity=data.get("quantity"), note=data.get("note") or "",
                          evidence_link=data.get("evidence_link") or "")


class AssessForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Nhận xét (bắt buộc khi không đạt)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def to_input(self) -> AssessIn:
        return AssessIn(outcome=self.cleaned_data["outcome"], note=self.cleaned_data.get("note") or "")


class CauseForm(EvidenceMixin):
    kind = forms.ChoiceField(label=_("Nguyên nhân khách quan"), choices=CauseKind.choices,
                             widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(label=_("Lý do xác nhận"), max_length=4000,
                             widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    delay = forms.IntegerField(required=False, widget=forms.HiddenInput)
    assessment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def to_input(self) -> CauseIn:
        data = self.cleaned_data
        return CauseIn(kind=data["kind"], reason=data["reason"], evidence_link=data.get("evidence_link") or "",
                       delay_id=data.get("delay") or None, assessment_id=data.get("assessment") or None)


class WeightForm(forms.Form):
    weight = forms.DecimalField(label=_("Trọng số quy đổi thỏa thuận"), min_value=Decimal("0.01"), max_digits=7,
                                decimal_places=2, widget=forms.NumberInput(attrs={**TEXT, "step": "0.01",
                                                                                  "inputmode": "decimal"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=4000, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class ReassignForm(ReasonForm):
    cadre = forms.TypedChoiceField(label=_("Giao lại cho cán bộ"), coerce=int, choices=(),
                                   widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, cadres: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # an empty default
        super().__init__(*args, **kwargs)
        field = self.fields["cadre"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = cadres


class CatalogueUploadForm(forms.Form):
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), initial=dt.date.today, input_formats=DATE_FORMATS,
                                 widget=forms.DateInput(format="%Y-%m-%d", attrs={**TEXT, "type": "date"}))
    file = forms.FileField(label=_("Tệp .xlsx hoặc .csv"), widget=forms.ClearableFileInput(
        attrs={**TEXT, "accept": ".xlsx,.csv"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn."))
        return upload


class WorkLogForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    date = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={**TEXT, "type": "date"}))
    hours = forms.DecimalField(label=_("Số giờ"), min_value=Decimal("0.1"), max_value=Decimal(24), max_digits=4,
                               decimal_places=1, widget=forms.NumberInput(attrs={**TEXT, "step": "0.1",
                                                                                 "inputmode": "decimal"}))
    task = forms.TypedChoiceField(label=_("Nhiệm vụ"), required=False, coerce=int, empty_value=None, choices=(),
                                  widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label=_("Việc đã làm"), max_length=500, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, tasks: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # an empty default
        super().__init__(*args, **kwargs)
        field = self.fields["task"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— không gắn với nhiệm vụ —")), *tasks]

    def to_input(self) -> WorkLogIn:
        data = self.cleaned_data
        return WorkLogIn(client_uuid=data["client_uuid"], date=data["date"], hours=data["hours"], note=data["note"],
                         task_id=data.get("task"))
