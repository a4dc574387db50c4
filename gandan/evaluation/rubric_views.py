"""The administrators' rubric screens: the versions in the user's scope, one version (its criteria and
rules, and the same as JSON), and a new version from one of them (a form of rows and fields, dated, for
the national default, a province or one of its agencies)."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.evaluation import rubric_forms, rubric_queries, services
from gandan.evaluation.models import Grade, RubricKind, Veto
from gandan.evaluation.rubric import EVIDENCE_KINDS, RubricRules, shown_label
from gandan.people.http import AuthenticatedRequest

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def _evidence_labels() -> dict[str, str]:
    return {"": _("Không"), "tasks": _("Kết quả nhiệm vụ (kế hoạch)"), "fieldwork": _("Đi cơ sở"),
            "petitions": _("Kiến nghị của dân"), "campaigns": _("Phong trào, mô hình")}


def _choices() -> dict[str, object]:
    return {"kinds": RubricKind.choices, "vetoes_all": Veto.choices, "evidence": _evidence_labels(),
            "evidence_kinds": ("", *EVIDENCE_KINDS),
            "combinations": [("mean", _("Trung bình cộng ba tỷ lệ")), ("weighted", _("Bình quân có trọng số")),
                             ("min", _("Tỷ lệ thấp nhất"))],
            "cap_ofs": [("good_or_better", _("số được xếp “Hoàn thành tốt” trở lên")),
                        ("good", _("số được xếp “Hoàn thành tốt”"))],
            "annual_rules": [("months", _("Trung bình các tháng làm việc")),
                             ("quarters", _("Trung bình các quý"))],
            "leave_months": [("excluded", _("Không tính vào trung bình năm (xếp loại theo thời gian làm việc)")),
                             ("worked_mean", _("Tính với kết quả bình quân của các tháng làm việc"))],
            "transfer_months": [("more_days", _("Đơn vị có nhiều ngày làm việc hơn (bằng nhau: đơn vị mới)")),
                                ("new_unit", _("Đơn vị mới"))],
            "title_grades": [(g, Grade(g).label) for g in rubric_forms.TITLE_GRADES],
            "ratio_labels": rubric_forms.RATIO_LABELS()}


@login_required
def rubrics(request: AuthenticatedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in RubricKind.values else ""
    return render(request, "evaluation/rubrics.html", {
        "rubrics": rubric_queries.rubric_list(request.user, kind), "kind": kind, "kinds": RubricKind.choices,
        "may_edit": bool(rubric_queries.targets(request.user))})


@login_required
def rubric_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rubric = rubric_queries.rubric_get(request.user, pk)
    rules = RubricRules.from_data(rubric.body)
    return render(request, "evaluation/rubric.html", {
        "rubric": rubric, "rules": rules, "criteria": [(c, shown_label(c.label)) for c in rules.general],
        "titles": [(code, shown_label(label), Grade(grade).label) for code, label, grade in rules.titles],
        "vetoes": [label for value, label in Veto.choices if value in rules.vetoes],
        "body_json": json.dumps(rubric.body, ensure_ascii=False, indent=2, sort_keys=True),
        "may_edit": bool(rubric_queries.targets(request.user)), **_choices()})


def _date(raw: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


@login_required
def rubric_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new version from version `pk`: its copy in the form; saved, it applies from the date chosen."""
    base = rubric_queries.rubric_get(request.user, pk)
    targets = rubric_queries.targets(request.user)
    if not targets:
        raise PermissionDenied(_("Bạn không có quyền ban hành bộ tiêu chí đánh giá."))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        body, errors = rubric_forms.read(request.POST, base.body)
        target = next((t for t in targets if t.key == request.POST.get("target")), None)
        valid_from = _date(request.POST.get("valid_from", ""))
        if target is None:
            errors.setdefault("target", []).append(_("Hãy chọn phạm vi áp dụng trong quyền của bạn."))
        if valid_from is None:
            errors.setdefault("valid_from", []).append(_("Ngày áp dụng: hãy nhập ngày theo dạng dd/mm/yyyy."))
        if not errors and target is not None and valid_from is not None:
            try:
                saved = services.rubric_save(actor=request.user, kind=base.kind, name=request.POST.get("name", ""),
                                             valid_from=valid_from, body=body, province=target.province,
                                             agency=target.agency)
            except ValidationError as exc:
                errors = {k: list(v) for k, v in exc.message_dict.items()}
            except PermissionDenied as exc:
                errors = {"target": [str(exc)]}
            else:
                messages.success(request, _("Đã ban hành phiên bản mới, áp dụng từ ngày %(date)s.") % {
                    "date": f"{saved.valid_from:%d/%m/%Y}"})
                return redirect("evaluation-rubric", saved.pk)
        form = rubric_forms.posted(request.POST)
        head = {"name": request.POST.get("name", ""), "valid_from": request.POST.get("valid_from", ""),
                "target": request.POST.get("target", "")}
    else:
        form = rubric_forms.values(base.body)
        start = timezone.localdate().replace(day=1)
        head = {"name": base.name, "valid_from": f"{start:%d/%m/%Y}",
                "target": rubric_queries.target_of(base) if any(
                    t.key == rubric_queries.target_of(base) for t in targets) else targets[0].key}
    for part, prefix in (("general", "g"), ("titles", "ti")):
        for i, row in enumerate(form[part]):
            row["errors"] = [m for key, msgs in errors.items() if key.startswith(f"{prefix}-{i}-") for m in msgs]
    status = 422 if errors else 200
    return render(request, "evaluation/rubric_form.html", {
        "base": base, "f": form, "head": head, "fe": {k.replace("-", "_"): " ".join(v) for k, v in errors.items()},
        "targets": targets,
        "error_list": [m for msgs in errors.values() for m in msgs], **_choices()}, status=status)

