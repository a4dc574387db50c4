"""Forms of the campaign pages. They parse and offer choices; the services decide and write. The
event form builds the same `EventChange` the API takes, and a service refusal comes back onto the
field it names (`outputs.2.measure` → that indicator's input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gandan.campaigns.models import (
    Campaign,
    DecisionLevel,
    HolderKind,
    Indicator,
    ModelField,
    ModelStatus,
    RulePeriod,
    Schedule,
)
from gandan.campaigns.services import CITIZEN_GROUPS
from gandan.fieldwork.forms import DATE_FORMATS, Bootstrap, DateInput
from gandan.org.models import AdminUnit, Agency, PartyCell
from gandan.people.models import Cadre, EmploymentType

GROUP_LABELS = {"women": _("Phụ nữ"), "youth": _("Thanh niên"), "elderly": _("Người cao tuổi"),
                "veterans": _("Cựu chiến binh"), "farmers": _("Nông dân"), "students": _("Học sinh"),
                "other": _("Khác")}


def _unit_label(unit: AdminUnit, top: int) -> str:
    return "— " * max(unit.depth - top, 0) + unit.name


class FilterForm(Bootstrap, forms.Form):
    small = True
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(self, *args: Any, units: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top = min((u.depth for u in units), default=0)
        self.fields["unit"].choices = [("", _("Toàn phạm vi"))] + [  # type: ignore[attr-defined]  # a ChoiceField
            (u.pk, _unit_label(u, top)) for u in units]
        self.style()


class EventForm(Bootstrap, forms.Form):
    date = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS, widget=DateInput())
    unit = forms.TypedChoiceField(label=_("Nơi tổ chức"), coerce=int)
    cadres = forms.TypedMultipleChoiceField(label=_("Cán bộ tham gia"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    cadre_participations = forms.IntegerField(
        label=_("Tổng lượt cán bộ tham gia"), required=False, min_value=0,
        help_text=_("Kể cả người không ghi tên; để trống: bằng số cán bộ đã chọn."))
    citizens = forms.IntegerField(label=_("Lượt người dân tham gia"), min_value=0, initial=0)
    party_members_reached = forms.IntegerField(label=_("Đảng viên được tuyên truyền"), min_value=0, initial=0)
    party_cells = forms.TypedMultipleChoiceField(label=_("Chi bộ được tuyên truyền"), coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Ghi chú"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, campaign: Campaign, places: list[AdminUnit], cadres: list[Cadre],
                 cells: list[PartyCell], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        top = min((u.depth for u in places), default=0)
        self.fields["unit"].choices = [(u.pk, _unit_label(u, top)) for u in places]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["cadres"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (c.pk, f"{c.full_name} — {c.position}" if c.position else c.full_name) for c in cadres]
        self.fields["party_cells"].choices = [(c.pk, c.name) for c in cells]  # type: ignore[attr-defined]  # a ChoiceField
        for code in CITIZEN_GROUPS:
            self.fields[f"group_{code}"] = forms.IntegerField(label=GROUP_LABELS[code], required=False, min_value=0)
        self.indicators: list[Indicator] = list(campaign.indicators.all())
        for ind in self.indicators:
            self.fields[f"out_{ind.code}"] = forms.DecimalField(
                label=f"{ind.label} ({ind.get_measure_display()})", required=False, min_value=Decimal(0),
                max_digits=14, decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
        self.style()

    def group_fields(self) -> list[forms.BoundField]:
        return [self[f"group_{code}"] for code in CITIZEN_GROUPS]

    def output_fields(self) -> list[forms.BoundField]:
        return [self[f"out_{ind.code}"] for ind in self.indicators]

    def change_data(self, agency: Agency) -> dict[str, Any]:
        """The body of an `EventChange` (or, with a UUID and campaign, an `EventIn`)."""
        data = self.cleaned_data
        outputs = [(ind, data.get(f"out_{ind.code}")) for ind in self.indicators]
        self.output_order = [ind.code for ind, amount in outputs if amount is not None]
        return {
            "date": data["date"], "unit_id": data["unit"], "agency_id": agency.pk, "cadre_ids": data["cadres"],
            "cadre_participations": data.get("cadre_participations"), "citizens": data["citizens"],
            "citizen_groups": {code: data[f"group_{code}"] for code in CITIZEN_GROUPS if data.get(f"group_{code}")},
            "party_members_reached": data["party_members_reached"], "party_cell_ids": data["party_cells"],
            "outputs": [{"indicator": ind.code, "amount": amount, "measure": ind.measure}
                        for ind, amount in outputs if amount is not None],
            "notes": data.get("notes", ""),
        }

    def refuse(self, error: ValidationError) -> None:
        """Put the service's errors on the fields they name."""
        fields = {"date": "date", "unit_id": "unit", "cadre_ids": "cadres", "party_cell_ids": "party_cells",
                  "cadre_participations": "cadre_participations", "citizens": "citizens", "notes": "notes",
                  "citizen_groups": "group_women"}
        for key, messages in error.message_dict.items():
            name = fields.get(key)
            if key.startswith("outputs."):
                index = int(key.split(".")[1]) - 1
                order = getattr(self, "output_order", [])
                name = f"out_{order[index]}" if 0 <= index < len(order) else None
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        self.style()


class CampaignForm(Bootstrap, forms.Form):
    name = forms.CharField(label=_("Tên phong trào"), max_length=250)
    agency = forms.TypedChoiceField(label=_("Cơ quan tổ chức"), coerce=int)
    starts_on = forms.DateField(label=_("Từ ngày"), input_formats=DATE_FORMATS, widget=DateInput())
    ends_on = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=DateInput())
    schedule = forms.ChoiceField(label=_("Lịch tổ chức"), choices=Schedule.choices)
    dates = forms.CharField(label=_("Các ngày (khi theo ngày đã định)"), required=False,
                            help_text=_("dd/mm/yyyy, cách nhau bằng dấu phẩy"))
    scope = forms.TypedMultipleChoiceField(label=_("Đơn vị có cơ quan tham gia"), coerce=int)
    with_subtree = forms.BooleanField(label=_("Kể cả các đơn vị cấp dưới"), required=False, initial=True)
    min_events = forms.IntegerField(label=_("Mỗi cán bộ tham gia ít nhất (đợt)"), min_value=0, initial=1)
    rule_period = forms.ChoiceField(label=_("Mỗi"), choices=RulePeriod.choices)
    rule_employment_types = forms.MultipleChoiceField(label=_("Áp dụng cho"), required=False,
                                                      choices=EmploymentType.choices,
                                                      widget=forms.CheckboxSelectMultiple)
    indicators = forms.MultipleChoiceField(label=_("Chỉ tiêu đo kết quả"), widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agencies: list[Agency], units: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top = min((u.depth for u in units), default=0)
        self.fields["agency"].choices = [(a.pk, f"{a.name} ({a.unit.name})") for a in agencies]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["scope"].choices = [(u.pk, _unit_label(u, top)) for u in units]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (i.code, str(i)) for i in Indicator.objects.filter(is_active=True)]
        self.style()

    def clean_dates(self) -> list[dt.date]:
        found = []
        for part in (p.strip() for p in self.cleaned_data.get("dates", "").split(",")):
            if not part:
                continue
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    found.append(dt.datetime.strptime(part, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                raise ValidationError(_("“%(text)s” không phải ngày dạng dd/mm/yyyy.") % {"text": part})
        return found


class ModelForm(Bootstrap, forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    campaign = forms.TypedChoiceField(label=_("Phong trào"), coerce=int, required=False, empty_value=None)
    holder_kind = forms.ChoiceField(label=_("Tập thể, cá nhân"), choices=HolderKind.choices)
    holder_name = forms.CharField(label=_("Tên tập thể, cá nhân"), max_length=250)
    title = forms.CharField(label=_("Tên mô hình"), max_length=250)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=ModelField.choices)
    registered_on = forms.DateField(label=_("Ngày đăng ký"), input_formats=DATE_FORMATS, widget=DateInput())
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Minh chứng"), required=False, max_length=10000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: list[AdminUnit], campaigns: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top = min((u.depth for u in units), default=0)
        self.fields["unit"].choices = [(u.pk, _unit_label(u, top)) for u in units]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["campaign"].choices = [("", "—")] + [(c.pk, c.name) for c in campaigns]  # type: ignore[attr-defined]  # a ChoiceField
        self.style()


class DecisionForm(Bootstrap, forms.Form):
    status = forms.ChoiceField(label=_("Bước"), choices=[c for c in ModelStatus.choices if c[0] != "registered"])
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = forms.DateField(label=_("Ngày quyết định"), input_formats=DATE_FORMATS, widget=DateInput())
    level = forms.ChoiceField(label=_("Cấp quyết định"), choices=DecisionLevel.choices)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=250)
    notes = forms.CharField(label=_("Ghi chú"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ModelFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + ModelStatus.choices)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False, choices=[("", _("Tất cả"))] + ModelField.choices)
    holder_kind = forms.ChoiceField(label=_("Tập thể, cá nhân"), required=False,
                                    choices=[("", _("Tất cả"))] + HolderKind.choices)
