"""The import page: download a template, upload a file, see every error or what was created.

A file with cells typed in a legacy encoding (TCVN3/ABC, VNI: core.legacy_text) is refused like any
other bad file, with a preview of each cell before and after conversion; the upload is kept aside
(default storage, a random name remembered in the uploader's session only) so that one click
converts and imports it, and it is deleted then, or when another file is uploaded.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gandan.core.imports import ImportResult
from gandan.core.tabular import Column, download, template_csv, template_xlsx
from gandan.org.imports import HOUSEHOLD_COLUMNS, VILLAGE_COLUMNS, household_import, village_import
from gandan.people.http import AuthenticatedRequest
from gandan.people.imports import CADRE_COLUMNS, cadre_import
from gandan.people.scoping import may_import, paths_or_refuse

SHOWN_ERRORS = 500  # the page lists this many; the rest are counted
PENDING = "import_pending_legacy"  # session key: the upload kept for conversion


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: Any
    sheet: str
    columns: tuple[Column, ...]
    run: Callable[..., ImportResult]


KINDS = {kind.key: kind for kind in (
    ImportKind("villages", gettext_lazy("Thôn, bản, tổ dân phố"), "Thôn bản", VILLAGE_COLUMNS,
               village_import),
    ImportKind("households", gettext_lazy("Hộ gia đình"), "Hộ gia đình", HOUSEHOLD_COLUMNS,
               household_import),
    ImportKind("cadres", gettext_lazy("Cán bộ, công chức, viên chức"), "Cán bộ", CADRE_COLUMNS,
               cadre_import),
)}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"),
                             choices=[(k.key, k.label) for k in KINDS.values()],
                             widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=gettext_lazy("Tệp .xlsx hoặc .csv"), widget=forms.ClearableFileInput(
        attrs={"class": "form-control", "accept": ".xlsx,.csv"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_too_large())
        return upload

    def chosen_kind(self) -> str:
        """The kind the page shows: the one chosen when it is one, else villages."""
        value = self["kind"].value()
        return value if value in KINDS else "villages"


def _too_large() -> str:
    return _("Tệp quá lớn: tối đa %(max)s. Hãy chia thành nhiều tệp nhỏ hơn.") % {
        "max": filesizeformat(settings.IMPORT_MAX_BYTES)}


def _page(request: HttpRequest, form: UploadForm, kind: str, result: ImportResult | None = None,
          status: int = 200, problem: str = "") -> HttpResponse:
    pending = request.session.get(PENDING) if result is not None and result.legacy and \
        not result.legacy_converted else None
    return render(request, "org/imports_home.html", {
        "pending": pending,
        "form": form,
        "problem": problem,
        "kind": kind,
        "kinds": KINDS.values(),
        "may_import": may_import(request.user),
        "result": result,
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "max_size": settings.IMPORT_MAX_BYTES,
    }, status=status)


@login_required
def imports_home(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else "villages"
    return _page(request, UploadForm(initial={"kind": kind}), kind)


@login_required
@require_POST
def imports_upload(request: AuthenticatedRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied(_("Chỉ quản trị đơn vị mới được nhập dữ liệu."))
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.IMPORT_MAX_BYTES + 64 * 1024:
        # Refused before the body is read, so the chosen kind is not known.
        return _page(request, UploadForm(initial={"kind": "villages"}), "villages", status=413,
                     problem=_too_large())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, form.chosen_kind(), status=400)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    _forget_pending(request)
    result = KINDS[kind].run(actor=request.user, paths=paths_or_refuse(request.user), source=upload.file,
                             name=upload.name)
    if not result.ok:
        if result.legacy:
            _keep_pending(request, kind, upload.name, upload.file)
        return _page(request, form, kind, result=result, status=400)
    return _imported(request, kind, result)


@login_required
@require_POST
def imports_convert(request: AuthenticatedRequest) -> HttpResponse:
    """The upload kept aside, imported with its legacy cells converted to Unicode."""
    if not may_import(request.user):
        raise PermissionDenied(_("Chỉ quản trị đơn vị mới được nhập dữ liệu."))
    pending = request.session.get(PENDING)
    if not pending or request.POST.get("token") != pending["token"] or not default_storage.exists(pending["path"]):
        _forget_pending(request)
        messages.error(request, _("Tệp chờ chuyển mã không còn; hãy tải tệp lên lại."))
        return redirect("imports-home")
    kind = pending["kind"]
    with default_storage.open(pending["path"], "rb") as source:
        result = KINDS[kind].run(actor=request.user, paths=paths_or_refuse(request.user), source=source,
                                 name=pending["name"], convert_legacy=True)
    _forget_pending(request)
    if not result.ok:
        return _page(request, UploadForm(initial={"kind": kind}), kind, result=result, status=400)
    return _imported(request, kind, result)


def _imported(request: HttpRequest, kind: str, result: ImportResult) -> HttpResponse:
    messages.success(request, _("Đã nhập %(count)s dòng (%(kind)s) từ tệp %(name)s.") % {
        "count": result.created.get(kind, 0), "kind": KINDS[kind].label, "name": result.file_name})
    if result.legacy_cells:
        messages.info(request, _("Đã chuyển %(count)s ô từ bảng mã cũ sang Unicode.") % {
            "count": result.legacy_cells})
    return redirect(f"{reverse('imports-home')}?kind={kind}")


def _keep_pending(request: HttpRequest, kind: str, name: str, source: IO[bytes]) -> None:
    token = secrets.token_urlsafe(24)
    source.seek(0)
    path = default_storage.save(f"imports-pending/{token}.{name.rsplit('.', 1)[-1].lower()}", source)
    request.session[PENDING] = {"token": token, "path": path, "kind": kind, "name": name}


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None or fmt not in {"xlsx", "csv"}:
        raise Http404
    if fmt == "xlsx":
        return download(template_xlsx(spec.columns, spec.sheet), f"gandan-{kind}.xlsx")
    return download(template_csv(spec.columns), f"gandan-{kind}.csv", "text/csv; charset=utf-8")
