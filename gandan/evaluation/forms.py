"""The few forms of the evaluation whose fields are fixed (the criteria's points are read by the views from
the rubric): a commendation's decision, checked here; the year page writes its inputs, one set per row."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.campaigns.models import DecisionLevel

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date input sends ISO; a typed date is Vietnamese


class CommendationForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = forms.DateField(label=_("Ngày quyết định"), input_formats=DATE_FORMATS)
    level = forms.ChoiceField(label=_("Cấp khen thưởng"), choices=DecisionLevel.choices)
    reason = forms.CharField(label=_("Lý do khen thưởng"), max_length=2000)
