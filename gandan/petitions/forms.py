"""Forms of the concerns module: a cadre's "record a concern" (mobile-first), the small form of each
step on a concern (step_views), and the public form, whose anti-abuse measures need no CAPTCHA: a
honeypot field that people never see, a minimum fill time signed into the form when it is shown, and
a per-IP limit (public_views)."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gandan.core.collation import vi_order
from gandan.core.input_types import MAX_ID
from gandan.core.paths import path_q
from gandan.org.models import AdminUnit, Household
from gandan.people import scoping
from gandan.petitions import access, config, queries, routing
from gandan.petitions.attachments import MAX_FILES
from gandan.petitions.models import Channel, Kind, Petition, Rating, Urgency

if TYPE_CHECKING:
    from gandan.people.models import User

MIN_FILL_SECONDS = 5
MAX_FILL_SECONDS = 2 * 3600
STAMP_SALT = "gandan.petitions.public-form"
TOKEN_SALT = "gandan.petitions.public-form-token"
# What each default field covers, in the words a citizen would use (a province's own fields use their
# description): the public form shows them beside the names.
PLAIN_FIELDS = {
    "land": _("đất ở, đất ruộng, ranh giới, lấn chiếm, giấy chứng nhận"),
    "infrastructure": _("đường, cầu, cống, điện, đèn đường, nước sạch"),
    "social_policy": _("trợ cấp, hộ nghèo, người có công, bảo hiểm"),
    "health": _("trạm y tế, khám chữa bệnh, dịch bệnh"),
    "education": _("trường lớp, học phí, con em đi học"),
    "environment": _("rác thải, nước thải, ô nhiễm, khói bụi, tiếng ồn"),
    "security": _("trộm cắp, gây rối, an toàn giao thông"),
    "admin_procedure": _("giấy tờ, hồ sơ, chứng thực, thái độ cán bộ"),
    "other": _("việc khác"),
}
UNIT_CHOICES_MAX = 400


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def record_units(user: User) -> list[AdminUnit]:
    """Where a cadre may record a concern: their handler units and the two levels below (a commune
    cadre gets the commune and its villages), or only one level below when that would be too long a
    list (a province committee gets the province and its communes)."""
    paths = scoping.scope_paths(user, access.HANDLER_ROLES)
    if not paths:
        return []
    roots = list(AdminUnit.objects.filter(path__in=paths).only("depth"))
    top = max((u.depth for u in roots), default=0)
    units = AdminUnit.objects.current().filter(path_q(paths))
    depth_limit = top + 2 if units.filter(depth__lte=top + 2).count() <= UNIT_CHOICES_MAX else top + 1
    return list(units.filter(depth__lte=depth_limit).select_related("level").order_by("path")[:UNIT_CHOICES_MAX])


def bootstrap(form: forms.Form, small: bool = False) -> None:
    """Bootstrap classes on every widget, and is-invalid on those with errors (after validation)."""
    size = "-sm" if small else ""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}" if small else "form-select"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
        widget.attrs["class"] = css + (" is-invalid" if form.is_bound and name in form.errors else "")


def attach_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's refusal onto the form: each message on its field (or its alias), else on the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        name = (aliases or {}).get(name, name)
        target = name if name in form.fields else None
        for message in errors:
            form.add_error(target, message)


class ConcernFields(forms.Form):
    """What every intake asks: field, urgency, text, who, attachments."""

    def full_clean(self) -> None:
        super().full_clean()
        bootstrap(self)

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        bootstrap(self)

    field = forms.ChoiceField(label=_("Lĩnh vực"))
    urgency = forms.ChoiceField(label=_("Mức độ"), choices=Urgency.choices, initial=Urgency.NORMAL)
    text = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(label=_("Người dân không muốn nêu tên (ẩn danh)"), required=False)
    citizen_name = forms.CharField(label=_("Họ và tên người phản ánh"), max_length=200, required=False)
    citizen_phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    files = MultipleFileField(label=_("Ảnh, tài liệu kèm theo"),  # type: ignore[assignment]  # a declared field: the form's own `files` stays the uploads
                              help_text=_("Tối đa 5 tệp JPG, PNG, WEBP, PDF, DOCX hoặc XLSX, mỗi tệp đến 5 MB."))

    def set_fields(self, province: AdminUnit | None) -> None:
        self.fields["field"].choices = [(f.code, f.label) for f in config.fields_for(province)]  # type: ignore[attr-defined]  # a ChoiceField

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Tối đa 5 tệp."))
        return files


class RecordForm(ConcernFields):
    """A cadre records a concern heard on a visit or at the office."""

    unit = forms.TypedChoiceField(label=_("Nơi phát sinh (thôn, xã)"), coerce=int)
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), initial=Channel.VISIT,
                                choices=[(Channel.VISIT, Channel.VISIT.label), (Channel.OFFICE, Channel.OFFICE.label)])
    household_code = forms.CharField(label=_("Mã hộ gia đình (nếu có)"), max_length=40, required=False)

    field_order = ["unit", "channel", "field", "urgency", "text", "anonymous", "citizen_name", "citizen_phone",
                   "household_code", "files"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in record_units(user)}
        self.fields["unit"].choices = [(u.pk, ("— " * max(0, u.depth - 1)) + u.name) for u in self.units.values()]  # type: ignore[attr-defined]  # a ChoiceField
        first = next(iter(self.units.values()), None)
        self.set_fields(first.province if first else None)
        self.household: Household | None = None
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        unit = self.units.get(data.get("unit"))  # type: ignore[arg-type]  # None (no valid unit) finds nothing
        code = (data.get("household_code") or "").strip()
        if unit is not None and code and not data.get("anonymous"):
            household = Household.objects.filter(province_id=unit.province_id or unit.pk, code=code).select_related(
                "village").first()
            if household is None:
                self.add_error("household_code", _("Không tìm thấy hộ có mã này trong tỉnh."))
            else:
                self.household = household
        data["unit_obj"] = unit
        return data


class PublicForm(ConcernFields):
    """The public form (no login). `website` is the honeypot; `started` the signed time it was shown."""

    province = forms.TypedChoiceField(label=_("Tỉnh, thành phố"), coerce=int)
    commune = forms.TypedChoiceField(label=_("Xã, phường"), coerce=int)
    village = forms.TypedChoiceField(label=_("Thôn, bản, tổ dân phố (nếu biết)"), coerce=int, required=False,
                                     empty_value=None)
    website = forms.CharField(required=False, label=_("Để trống ô này"))
    started = forms.CharField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)

    field_order = ["province", "commune", "village", "field", "urgency", "text", "anonymous", "citizen_name",
                   "citizen_phone", "files"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = list(AdminUnit.objects.current().filter(level__code="province").order_by(vi_order("name")))
        self.fields["province"].choices = [("", "—")] + [(p.pk, p.name) for p in provinces]  # type: ignore[attr-defined]  # a ChoiceField
        chosen = self._chosen("province")
        communes = list(AdminUnit.objects.current().filter(parent_id=chosen).exclude(level__code="village")
                        .order_by(vi_order("name"))) if chosen else []
        self.fields["commune"].choices = [("", "—")] + [(c.pk, c.name) for c in communes]  # type: ignore[attr-defined]  # a ChoiceField
        commune_id = self._chosen("commune")
        villages = list(AdminUnit.objects.current().filter(parent_id=commune_id).order_by(vi_order("name"))
                        ) if commune_id else []
        self.fields["village"].choices = [("", "—")] + [(v.pk, v.name) for v in villages]  # type: ignore[attr-defined]  # a ChoiceField
        self.set_public_fields(next((p for p in provinces if p.pk == chosen), None))
        if not self.is_bound:
            self.initial["started"] = stamp()
            self.initial["token"] = new_token()
        self.fields["anonymous"].label = _("Tôi không muốn nêu tên (ẩn danh)")
        self.fields["citizen_name"].label = _("Họ và tên")
        self.fields["citizen_phone"].help_text = _("Để cơ quan xử lý liên hệ khi cần; không hiển thị công khai.")
        units_url = reverse("petitions-public-units")
        self.fields["province"].widget.attrs.update({"hx-get": units_url, "hx-target": "#id_commune",
                                                     "hx-trigger": "change"})
        self.fields["commune"].widget.attrs.update({"hx-get": units_url, "hx-target": "#id_village",
                                                    "hx-trigger": "change"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["text"].widget.attrs.update({
            "hx-get": reverse("petitions-public-duplicates"), "hx-trigger": "keyup changed delay:800ms, change",
            "hx-target": "#duplicates", "hx-include": "[name=commune],[name=village],[name=text]"})
        bootstrap(self)

    def set_public_fields(self, province: AdminUnit | None) -> None:
        """No field chosen in advance (a street light is not "land"), each named in plain words."""
        choices: list[tuple[str, Any]] = [("", _("— Chọn lĩnh vực phù hợp nhất —"))]
        for option in config.fields_for(province):
            hint = option.description or PLAIN_FIELDS.get(option.code, "")
            choices.append((option.code, f"{option.label}: {hint}" if hint else option.label))
        self.fields["field"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["field"].error_messages["required"] = _("Hãy chọn lĩnh vực gần nhất với việc bạn phản ánh.")

    def clean_token(self) -> str:
        """The one-time token of this form: the same token twice files one concern (public_views)."""
        try:
            return signing.Signer(salt=TOKEN_SALT).unsign(self.cleaned_data.get("token", ""))
        except signing.BadSignature:
            raise forms.ValidationError(_("Biểu mẫu đã hết hạn; hãy tải lại trang và gửi lại.")) from None

    def _chosen(self, name: str) -> int | None:
        raw = (self.data.get(name) if self.is_bound else self.initial.get(name)) or ""
        return int(raw) if str(raw).isdigit() else None

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Không gửi được biểu mẫu này."))
        return ""

    def clean_started(self) -> float:
        elapsed = elapsed_since(self.cleaned_data.get("started", ""))
        if elapsed is None:
            raise forms.ValidationError(_("Biểu mẫu đã hết hạn; hãy tải lại trang và gửi lại."))
        if elapsed < MIN_FILL_SECONDS:
            raise forms.ValidationError(_("Bạn gửi quá nhanh; hãy kiểm tra lại nội dung rồi gửi lại."))
        return elapsed

    def place(self) -> AdminUnit | None:
        unit_id = self.cleaned_data.get("village") or self.cleaned_data.get("commune")
        return AdminUnit.objects.select_related("level", "province").filter(pk=unit_id).first() if unit_id else None


def new_token() -> str:
    """A one-time token for one showing of the public form, signed so that it cannot be made up."""
    return signing.Signer(salt=TOKEN_SALT).sign(uuid.uuid4().hex)


def stamp(now: float | None = None) -> str:
    """The moment the form is shown, signed so that it cannot be forged."""
    return signing.Signer(salt=STAMP_SALT).sign(str(int(now if now is not None else time.time())))


def elapsed_since(token: str) -> float | None:
    """Seconds since the form was shown, or None when the stamp is forged, too old or in the future."""
    try:
        value = int(signing.Signer(salt=STAMP_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    elapsed = time.time() - value
    return elapsed if -5 <= elapsed <= MAX_FILL_SECONDS else None


# -- the steps on a concern (step_views) ----------------------------------------------------------
class StepForm(forms.Form):
    """What every step posts: the version of the concern the page was drawn with, so that a step taken
    on a stale page is refused (the services compare it on the locked row)."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class NoteForm(StepForm):
    """Accept, handle, escalate: an optional note (escalating requires one; the service says so)."""

    note = forms.CharField(required=False, widget=forms.Textarea)


class TransferForm(NoteForm):
    """Transfer: the id of the department chosen (none: the one competent for the field) and the reason.
    Which agency it names is decided by routing.chosen_department and the service, as for the API."""

    agency = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, error_messages={
        key: routing.NOT_A_DEPARTMENT for key in ("invalid", "min_value", "max_value")})


class AnswerForm(StepForm):
    text = forms.CharField(required=False, widget=forms.Textarea)
    files = MultipleFileField()  # type: ignore[assignment]  # a declared field: the form's own `files` stays the uploads


class RouteOutForm(StepForm):
    kind = forms.ChoiceField(choices=[(Kind.COMPLAINT, Kind.COMPLAINT.label),
                                      (Kind.DENUNCIATION, Kind.DENUNCIATION.label)])
    reason = forms.CharField(required=False, widget=forms.Textarea)


class MergeForm(NoteForm):
    """Merge: the tracking code of the concern this one duplicates, which the user must be able to see."""

    target = forms.CharField(required=False)

    def clean_target(self) -> Petition:
        target = queries.petition_by_code(self.cleaned_data["target"])
        if target is None or self.user is None or not access.visible(self.user).filter(pk=target.pk).exists():
            raise forms.ValidationError(_("Không tìm thấy phản ánh có mã này trong phạm vi của bạn."))
        return target


class RateForm(StepForm):
    """A cadre records the rating of a citizen who has no phone, with its evidence: a photo of the form the
    citizen signed, or the call (when, which number, what they said). The service checks the evidence
    and that the cadre is not of the holder who answered."""

    satisfied = forms.TypedChoiceField(choices=[("yes", _("Hài lòng")), ("no", _("Chưa hài lòng"))],
                                       coerce=lambda value: value == "yes")
    comment = forms.CharField(required=False, max_length=2000)
    evidence = forms.ChoiceField(required=False, choices=Rating.Evidence.choices)
    evidence_files = MultipleFileField()
    call_at = forms.DateTimeField(required=False, input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"])
    call_number = forms.CharField(required=False, max_length=30)
    evidence_note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
