"""Handler pages: the inbox (index), record a concern, one concern (its steps are in step_views.py),
attachments. Thin: parse, call a query or service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gandan.people import scoping
from gandan.people.http import AuthenticatedRequest
from gandan.petitions import access, config, queries, routing, services, states
from gandan.petitions.forms import RecordForm, attach_errors, record_units
from gandan.petitions.models import Attachment, Notification, Petition, Rating
from gandan.petitions.receipts import keep_pin, receipt_context, take_pin

if TYPE_CHECKING:
    from gandan.people.models import User

PAGE = 50


def field_labels(user: User) -> dict[str, str]:
    roots = scoping.top_units(user)
    return config.field_labels(roots[0].province if roots else None)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The handler's inbox: held by me / my unit / my department / all in scope, overdue first."""
    user = request.user
    box = request.GET.get("box") or queries.default_box(user)
    if box not in queries.BOXES:
        box = "all"
    rows = Paginator(queries.inbox(user, box), PAGE).get_page(request.GET.get("page"))
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("petition")[:10]
    return render(request, "petitions/home.html", {
        "box": box, "rows": rows, "counts": queries.inbox_counts(user), "labels": field_labels(user),
        "notices": notices, "can_record": bool(record_units(user)),
        "is_department": queries.is_department_handler(user), "has_cadre": user.cadre_id is not None,
    })


@login_required
def record(request: AuthenticatedRequest) -> HttpResponse:
    """A cadre records a concern (visit or office), then prints the citizen's receipt: the one page that
    shows its PIN."""
    form = RecordForm(request.user, request.POST or None, request.FILES or None)
    if not form.units:
        raise PermissionDenied(_("Bạn không có quyền ghi nhận phản ánh."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.petition_receive(
                actor=request.user, unit=data["unit_obj"], text=data["text"], field=data["field"],
                urgency=data["urgency"], channel=data["channel"], household=form.household,
                citizen_name=data["citizen_name"], citizen_phone=data["citizen_phone"],
                anonymous=data["anonymous"], files=data["files"])
        except ValidationError as exc:
            attach_errors(form, exc, aliases={"household": "household_code"})
        else:
            keep_pin(request, petition)
            messages.success(request, _("Đã ghi nhận phản ánh %(code)s. Hãy in hoặc đọc giấy biên nhận cho người "
                                        "dân: mã xác nhận chỉ hiện một lần.") % {"code": petition.code})
            return redirect("petitions-receipt", pk=petition.pk)
    return render(request, "petitions/record.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def duplicates(request: AuthenticatedRequest) -> HttpResponse:
    """htmx: likely duplicates of what is being typed in the record form."""
    units = {u.pk: u for u in record_units(request.user)}
    unit_id = request.GET.get("unit", "")
    unit = units.get(int(unit_id)) if unit_id.isdigit() else None
    text = request.GET.get("text", "")
    candidates = queries.duplicate_candidates(unit=unit, text=text) if unit and len(text.strip()) >= 10 else []
    return render(request, "petitions/_duplicates.html", {"candidates": candidates,
                                                          "labels": field_labels(request.user)})


def detail_context(request: AuthenticatedRequest, petition: Petition, **extra: Any) -> dict[str, Any]:
    """The concern's page; after a refused step, `form` is that step's form with what was typed."""
    user = request.user
    can_handle = access.may_handle(user, petition)
    allowed = states.handler_actions(petition.status) if can_handle else []
    ratable = petition.answers.filter(rating__isnull=True).select_related("holding", "agency").order_by(
        "-answered_at", "-id").first() if petition.status == states.ANSWERED else None
    context: dict[str, Any] = {
        "p": petition, "labels": field_labels(user), "can_handle": can_handle, "allowed": allowed,
        "sees_contact": access.contact_shown(user, petition),
        "can_rate": ratable is not None and access.may_record_rating(user, petition, ratable),
        "of_answering_holder": ratable is not None and access.of_answering_holder(user, ratable),
        "evidence_kinds": Rating.Evidence.choices,
        "can_issue_pin": access.sees_contact(user, petition) and petition.status not in (
            states.FINAL - {states.CLOSED}),
        "events": petition.events.select_related("from_unit", "from_agency", "to_unit", "to_agency", "to_cadre",
                                                 "actor__cadre"),
        "answers": petition.answers.select_related("unit", "agency", "rating").prefetch_related("documents"),
        "files": petition.attachments.filter(answer__isnull=True, rating__isnull=True),
        "duplicates": petition.duplicates.all(),
        "overdue": petition.is_overdue(timezone.now()),
        "form": None, "action": "", "conflict": "",
    }
    if can_handle and petition.is_open:
        context["next_up"] = routing.next_level_up(petition.holder_unit, petition.holder_agency)
        context["departments"] = routing.departments_reachable(petition.unit)
        context["suggested"] = routing.competent_department(petition.unit, petition.field,
                                                            exclude=petition.holder_agency)
        context["candidates"] = queries.duplicate_candidates(unit=petition.unit, text=petition.text,
                                                             household_id=petition.household_id,
                                                             exclude=petition.pk)
    context.update(extra)
    return context


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    petition = queries.petition_get(request.user, pk)
    return render(request, "petitions/detail.html", detail_context(request, petition))


@never_cache
@login_required
def receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The printable receipt for the citizen: with the PIN right after intake (or a new PIN), once."""
    petition = queries.petition_get(request.user, pk)
    return render(request, "petitions/receipt.html", {**receipt_context(petition, take_pin(request, petition)),
                                                      "staff": True})


@login_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A concern's file, for those who see the concern; 404 otherwise."""
    visible = Attachment.objects.select_related("petition").filter(
        petition__in=access.visible(request.user).values("pk"))
    row = scoping.get_visible_or_404(visible, request.user, pk=pk)
    if row.answer_id is None and not access.sees_contact(request.user, row.petition):
        scoping.log_denial(request.user, Attachment, pk)
        raise Http404(_("Không tìm thấy"))  # the citizen's own files are theirs, like their contact
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type)


@login_required
@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    services.notifications_read(actor=request.user)
    return redirect("petitions-home")
