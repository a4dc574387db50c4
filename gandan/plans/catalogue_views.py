"""The agency's catalogue of standard tasks: the current version, its XLSX template and its import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.core.tabular import download, template_xlsx
from gandan.org.models import Agency
from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.plans import queries, work_services
from gandan.plans.forms import CatalogueUploadForm
from gandan.plans.importers import CATALOGUE_COLUMNS, catalogue_import, may_edit_catalogue


def _agency(request: AuthenticatedRequest) -> Agency | None:
    """?agency= in the user's scope, or the user's own agency."""
    pk = request.GET.get("agency", "")
    if pk.isdigit():
        return scoping.get_in_scope_or_404(Agency.objects.select_related("unit"), request.user, "unit__path", pk=pk)
    cadre = request.user.cadre if request.user.cadre_id else None
    return cadre.agency if cadre is not None else None


@login_required
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    agency = _agency(request)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    editable = agency is not None and may_edit_catalogue(request.user, agency)
    if request.method == "POST" and agency is not None:
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = catalogue_import(actor=request.user, agency=agency, valid_from=form.cleaned_data["valid_from"],
                                      source=upload, name=upload.name)
            if result.ok:
                messages.success(request, _("Đã nhập %(n)s nhiệm vụ vào danh mục.") % {
                    "n": result.created.get("task_catalogue", 0)})
                return redirect(f"{request.path}?agency={agency.pk}")
            return render(request, "plans/catalogue.html", {"agency": agency, "form": form, "editable": editable,
                                                            "items": queries.catalogue_of(agency.pk),
                                                            "errors": result.errors[:500]})
    items = queries.catalogue_of(agency.pk) if agency is not None else []
    own = request.user.cadre.agency if request.user.cadre_id else None  # type: ignore[union-attr]  # cadre_id set
    return render(request, "plans/catalogue.html", {
        "agency": agency, "form": form, "editable": editable, "items": items,
        "may_set_log": own is not None and own == agency and work_services.may_set_work_log(request.user, own)})


@login_required
def catalogue_template(request: AuthenticatedRequest) -> HttpResponse:
    return download(template_xlsx(CATALOGUE_COLUMNS, "Danh mục nhiệm vụ"), "mau-danh-muc-nhiem-vu.xlsx")
