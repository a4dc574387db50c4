"""Who may see, handle and read the contact of a concern.

Seeing follows the place: a concern is visible to every role whose scope covers the unit where it
was raised (village, commune…), except department handlers, whose grant covers a whole province
but who see only the concerns their own department holds or held. The cadre who holds a concern
always sees it.

Handling follows the holder: leaders, committees and cadres over the holding unit act for it (a
province committee may act for any unit below); a department's handlers act for their department;
the holding cadre acts on what they hold. Viewers never act.

A rating recorded for a citizen (who has no phone to rate on the public page) must come from outside
the holder whose answer is rated: from a handler over the place or over that holder, who is not "of
the answering holder" — not the answer's author, not the stint's cadre, nobody who took it up,
handled or answered it in that stint, no cadre employed by the answering agency, and, for an
answer of a unit's own people's committee, nobody holding a handler grant on that very unit (they
act for it); for a department's answer, no handler of that department. Those above it (the
province over a commune) may record it.

The citizen's name, phone and household are shown to those who may handle the concern and to the
leaders over the place; everybody else, and every public page, gets none of them.
"""

from __future__ import annotations

import logging

from django.db.models import Exists, OuterRef, Q

from gandan.core.paths import path_q, path_within
from gandan.core.request_log import request_fields
from gandan.org.models import AdminUnit, AgencyKind
from gandan.people import scoping
from gandan.people.models import Cadre, Role, RoleGrant, User
from gandan.petitions.models import Answer, Petition, PetitionEvent, PetitionHolding, PetitionQuerySet

HANDLER_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.CADRE})
PLACE_ROLES = frozenset({Role.LEADER, Role.COMMITTEE, Role.CADRE, Role.UNIT_ADMIN, Role.VIEWER})
CONTACT_ROLES = frozenset({Role.LEADER, Role.COMMITTEE})
_AGENCY_ATTR = "_gandan_petition_agency"
STINT_STEPS = ("accept", "handle", "answer")  # taken as the holder (not the hand-over that began the stint)


def agency_of(user: User) -> int | None:
    """The agency of the user's cadre (cached on the user object), or None."""
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id is None:
        return None
    if not hasattr(user, _AGENCY_ATTR):
        setattr(user, _AGENCY_ATTR, Cadre.objects.filter(pk=cadre_id).values_list("agency_id", flat=True).first())
    return getattr(user, _AGENCY_ATTR)


def visible_q(user: User) -> Q:
    """The condition a Petition row meets when `user` may see it (nothing for no grant)."""
    condition = path_q(scoping.scope_paths(user, PLACE_ROLES), "unit__path")
    department_paths = scoping.scope_paths(user, {Role.DEPARTMENT_HANDLER})
    agency_id = agency_of(user)
    if department_paths and agency_id is not None:
        held = PetitionHolding.objects.filter(petition=OuterRef("pk"), agency_id=agency_id)
        condition |= Exists(held) & path_q(department_paths, "unit__path")
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id is not None and scoping.scope_paths(user):
        condition |= Q(holder_cadre_id=cadre_id)
    return condition


def sees_all_held_at(user: User, path: str, agency_id: int | None = None) -> bool:
    """Whether `user` sees every concern held by the unit at `path` (or by the agency `agency_id`
    whose unit is at `path`): a place scope over it, or the user's own department. A department
    handler sees only what its department held, so another holder's list would be shorter than
    its count."""
    if any(path_within(path, p) for p in scoping.scope_paths(user, PLACE_ROLES)):
        return True
    return (agency_id is not None and agency_id == agency_of(user)
            and any(path_within(path, p) for p in scoping.scope_paths(user, {Role.DEPARTMENT_HANDLER})))


def visible(user: User, qs: PetitionQuerySet | None = None) -> PetitionQuerySet:
    qs = Petition.objects.all() if qs is None else qs
    if not scoping.scope_paths(user):
        return qs.none()
    return qs.filter(visible_q(user))


def may_receive(user: User | None, unit: AdminUnit) -> bool:
    """Record a concern raised in `unit` (system callers, with no user, always may)."""
    return user is None or scoping.has_role(user, HANDLER_ROLES, unit)


def _is_department(petition: Petition) -> bool:
    agency = petition.holder_agency
    return agency is not None and agency.kind == AgencyKind.DEPARTMENT


def may_handle(user: User | None, petition: Petition) -> bool:
    """Act for the current holder: accept, handle, escalate, transfer, answer, route out, merge."""
    if user is None:
        return True
    if not scoping.scope_paths(user):
        return False
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id is not None and petition.holder_cadre_id == cadre_id:
        return True
    if _is_department(petition):
        return (agency_of(user) == petition.holder_agency_id
                and scoping.has_role(user, {Role.DEPARTMENT_HANDLER}, petition.holder_agency.unit))  # type: ignore[union-attr]  # a department holds it
    return scoping.has_role(user, HANDLER_ROLES, petition.holder_unit)


def may_rate_for_citizen(user: User, petition: Petition) -> bool:
    """Be offered to record a citizen's rating on their behalf: a handler over the place, or the holder
    (whether this user may record this answer's rating is may_record_rating)."""
    return may_handle(user, petition) or scoping.has_role(user, HANDLER_ROLES, petition.unit)


def of_answering_holder(user: User, answer: Answer) -> bool:
    """The user belongs to the holder who wrote `answer` (see the module's docstring)."""
    if answer.author_id is not None and answer.author_id == user.pk:
        return True
    holding = answer.holding
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id is not None and cadre_id == holding.cadre_id:
        return True
    if answer.agency_id is not None and agency_of(user) == answer.agency_id:
        return True
    department = answer.agency is not None and answer.agency.kind == AgencyKind.DEPARTMENT
    if not department and RoleGrant.objects.active().filter(user_id=user.pk, unit_id=answer.unit_id,
                                                            role__in=HANDLER_ROLES).exists():
        return True
    return PetitionEvent.objects.filter(petition_id=answer.petition_id, actor_id=user.pk, action__in=STINT_STEPS,
                                        at__gte=holding.started_at, at__lte=answer.answered_at).exists()


def may_record_rating(user: User, petition: Petition, answer: Answer) -> bool:
    """Record the citizen's rating of `answer` on their behalf (with evidence, see services)."""
    over = scoping.has_role(user, HANDLER_ROLES, petition.unit) or scoping.has_role(user, HANDLER_ROLES, answer.unit)
    return over and not of_answering_holder(user, answer)


def sees_contact(user: User | None, petition: Petition) -> bool:
    """The citizen's name, phone and household: handlers of the concern and leaders over the place."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return may_handle(user, petition) or scoping.has_role(user, CONTACT_ROLES, petition.unit)


personal_data = logging.getLogger("gandan.personal_data")


def contact_shown(user: User | None, petition: Petition) -> bool:
    """`sees_contact`, and when the contact is shown, one INFO on "gandan.personal_data" saying who saw
    what of whose concern, when (the record's time), where (the request) and on what ground (handling
    the concern, or leading the place): the log of every view of a citizen's personal data."""
    if not sees_contact(user, petition):
        return False
    shown = [name for name in ("citizen_name", "citizen_phone") if getattr(petition, name)]
    shown += ["household"] if petition.household_id else []
    if shown and user is not None:
        ground = "handler" if may_handle(user, petition) else "leader over the place"
        fields = {"user_id": user.pk, "username": user.get_username(), "code": petition.code,
                  "shown": ",".join(shown), "ground": ground, **request_fields()}
        personal_data.info("Personal data: %(username)s (user %(user_id)s) saw %(shown)s of concern %(code)s as "
                           "%(ground)s at %(method)s %(path)s", fields, extra=fields)
    return True
