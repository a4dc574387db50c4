"""/agencies: committees, councils, the Front, mass organisations and departments."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from gandan.api.auth import user_of
from gandan.api.schemas import AgencyOut
from gandan.core.input_types import Id
from gandan.org.models import Agency
from gandan.people import scoping

router = Router(tags=["agencies"])


@router.get("/{agency_id}", response=AgencyOut)
def agency_detail(request: HttpRequest, agency_id: Id) -> Agency:
    return scoping.get_in_scope_or_404(Agency.objects.all(), user_of(request), "unit__path", pk=agency_id)
