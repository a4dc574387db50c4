"""Is the schema ready to be distributed by province (Citus)? Read from Django's model meta, so that a
new model is checked the day it lands (DESIGN §5; `trust/test_citus_readiness.py` runs it in CI).

Under Citus a *distributed* table is split into shards by its distribution column (`province_id`);
a *reference* table is copied whole to every node; a *local* table stays on the coordinator. Citus
then asks, of the schema:

- every unique constraint (and unique index, partial ones too) of a distributed table includes the
  distribution column, since a shard can only check uniqueness within itself;
- the distribution column is never NULL (a row without a province has no shard);
- a foreign key from a distributed table points at a reference table, or at another distributed
  table *through the distribution column* — (province_id, x_id) → x (province_id, id) — which holds
  only if both tables carry `province_id` and every row agrees with the row it points at (the
  data check `rows_across_provinces`, run by the test over generated data of two provinces);
- no foreign key from a reference or local table points at a distributed table.

Every model is classified: distributed when it has a `province_id` column (or is named in
`DISTRIBUTION_COLUMN`), unless it is named in `REFERENCE` or `LOCAL`, each with its reason; a new
table without `province_id` fails until it is classified. Whatever the rules find and the schema
does not fix yet is named in `EXEMPT` with its reason: the test fails on a finding that is not
exempt, and on an exemption that no longer matches a finding, so the list only shrinks.

One rule is deliberately not a finding: primary keys. Django gives every table a single `id`;
Citus wants (province_id, id). The ids come from one sequence per table and stay unique across the
country, so the move is mechanical (the distribution migration makes each distributed table's key
(province_id, id)); `primary_keys_to_widen()` lists the tables it concerns.

    .venv/bin/python -m trust.citus      # prints the classification and every finding
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

PROVINCE_COLUMN = "province_id"

# A distributed table whose distribution column is not province_id.
DISTRIBUTION_COLUMN = {
    "core.AuditEvent": "chain",  # one hash chain per province (0: the events of no province), never NULL
}

# Reference tables: replicated to every node. Small (or read everywhere, like the users), national,
# and pointed at by the distributed tables.
_TREE = "the administrative tree: every province's rows point at it, read on every request (paths)"
_RULES = "a rule or setting per province (or nationwide when province is empty): small, read everywhere"
_AUTH = "sign-in and permissions: looked up before the province is known"
REFERENCE = {
    "org.UnitLevel": "the levels of the tree, as data: a handful of rows",
    "org.AdminUnit": _TREE + "; its own province column is the tree's, not a distribution key",
    "org.UnitMerge": _TREE + " (merges between units, possibly across provinces)",
    "org.Agency": "agencies are part of the organisation tree (tens of thousands nationwide); "
                  "a cadre of one may be assigned to a unit of another province's tree",
    "org.FormerPlace": _TREE + " (the places a merged unit had until its merge)",
    "org.PartyCell": "party cells, beside the agencies in the organisation tree",
    "people.User": _AUTH + "; its cadre link is exempt below",
    "people.User_groups": _AUTH,
    "people.User_user_permissions": _AUTH,
    "people.RoleGrant": "the grants decide scoping on every request, before any province is chosen",
    "auth.Group": _AUTH, "auth.Permission": _AUTH, "auth.Group_permissions": _AUTH,
    "contenttypes.ContentType": "Django's table of models",
    "core.ApiKey": _AUTH + " (token and Open311 keys)",
    "otp_totp.TOTPDevice": _AUTH + " (a user's authenticator, django-otp)",
    "otp_static.StaticDevice": _AUTH + " (django-otp's recovery codes: empty since people 0005)",
    "otp_static.StaticToken": _AUTH + " (django-otp's plain codes: empty since people 0005)",
    "people.RecoveryCodes": _AUTH + " (a user's recovery codes, people/recovery.py)",
    "people.RecoveryCode": _AUTH + " (the keyed hash of one recovery code)",
    "people.OtpEnrolmentCode": _AUTH + " (a one-time code to enrol an authenticator, people/enrolment_codes.py)",
    "campaigns.Indicator": "the national list of campaign indicators",
    "petitions.PetitionField": _RULES, "petitions.WorkingTime": _RULES, "petitions.Holiday": _RULES,
    "petitions.DeadlineRule": _RULES, "petitions.PetitionPolicy": _RULES, "petitions.Open311Client": _RULES,
    "fieldwork.ChecklistTopic": _RULES, "fieldwork.Quota": _RULES,
    "assignments.AssignmentRule": _RULES,
    "evaluation.Rubric": _RULES + " (also per agency)",
    "reports.ReportDeadline": _RULES,
    "plans.CatalogueItem": _RULES + " (the norm catalogue of an agency)",
    "plans.PlanSetting": _RULES + " (per agency)",
}

# Local tables: stay on the coordinator, never pointed at by a distributed table.
LOCAL = {
    "sessions.Session": "web sessions: keyed by session key, read before anything else",
    "people.SignedInSession": "where a user is signed in, beside the sessions",
    "plans.ReminderPreference": "a user's own setting, read with the user",
    "core.QueuedJob": "background jobs kept while the queue was unreachable (core/outbox.py): a handful of rows",
}

_CHILD = ("a child of a distributed table without a province_id of its own: it needs the column "
          "(a migration, and its service copies the parent's) before it can be distributed with its parent")
_NATIONWIDE_ROW = ("a nationwide row is kept with an empty province (the national counter or holiday): "
                   "under Citus it moves to a reference table of its own")
_UNIQUE_VIA_PARENT = ("unique within a parent that carries the province (so it is unique per province in "
                      "practice); the distribution migration adds province_id to the constraint")
_UNIQUE_AUDIT = ("the audit chain is being redesigned (issue #15, the write path); the hash becomes "
                 "unique per chain")
_USER_CADRE = ("a user (reference table) names their cadre (distributed); Citus refuses a foreign key "
               "from a reference table to a distributed one, so under Citus it stays a plain column, "
               "kept by people.services")
_AGENCY_SCOPED = ("agency-scoped rows with no province_id; agencies are reference tables, so the row "
                  "is a small per-agency setting")

# Findings not fixed yet: "<kind>:<app.Model>[.<field>|:<constraint>]" → why.
EXEMPT = {
    # Unique constraints of distributed tables without province_id.
    "unique:core.AuditEvent:hash": _UNIQUE_AUDIT,
    "unique:fieldwork.VisitUnit:visit_unit_unique": _UNIQUE_VIA_PARENT,
    "unique:fieldwork.VisitHousehold:visit_household_unique": _UNIQUE_VIA_PARENT,
    "unique:fieldwork.VisitPhoto:visit_photo_unique": _UNIQUE_VIA_PARENT,
    "unique:fieldwork.Attendance:attendance_unique": _UNIQUE_VIA_PARENT,
    "unique:campaigns.EventCadre:event_cadre_unique": _UNIQUE_VIA_PARENT,
    "unique:plans.Plan:plan_period_unique": _UNIQUE_VIA_PARENT,
    "unique:plans.Delay:delay_once_per_due_date": _UNIQUE_VIA_PARENT,
    "unique:plans.ObjectiveCause:delay": _UNIQUE_VIA_PARENT,
    "unique:plans.ObjectiveCause:assessment": _UNIQUE_VIA_PARENT,
    "unique:plans.Reminder:task_reminder_once_a_day": _UNIQUE_VIA_PARENT,
    "unique:plans.Reminder:plan_reminder_once_a_day": _UNIQUE_VIA_PARENT,
    "unique:petitions.Rating:answer": _UNIQUE_VIA_PARENT,
    "unique:evaluation.AgencyMonth:evaluation_month_unique": _UNIQUE_VIA_PARENT,
    "unique:evaluation.Sheet:evaluation_sheet_unique": _UNIQUE_VIA_PARENT,
    "unique:evaluation.AnnualResult:evaluation_annual_unique": _UNIQUE_VIA_PARENT,
    "unique:evaluation.TitleProposal:evaluation_title_unique": _UNIQUE_VIA_PARENT,
    "unique:evaluation.TitleProposal:decision": _UNIQUE_VIA_PARENT,
    "unique:evaluation.TaskGroup:evaluation_task_group_unique": _UNIQUE_VIA_PARENT,
    "unique:evaluation.EvaluationReminder:evaluation_reminder_once_a_day": _UNIQUE_VIA_PARENT,
    "unique:petitions.DayCounter:day_counter_nationwide_unique": _NATIONWIDE_ROW,
    # Distributed tables whose province may be empty.
    "nullable:petitions.DayCounter": _NATIONWIDE_ROW,
    # Reference tables pointing at distributed ones.
    "reference-to-distributed:people.User.cadre": _USER_CADRE,
    # Children of distributed tables without the distribution column.
    "child-without-province:campaigns.Campaign_indicators.campaign": _CHILD,
    "child-without-province:campaigns.CampaignScope.campaign": _CHILD,
    "child-without-province:campaigns.CampaignEvent_party_cells.campaignevent": _CHILD,
    "child-without-province:campaigns.EventOutput.event": _CHILD,
    "child-without-province:campaigns.EventPhoto.event": _CHILD,
    "child-without-province:plans.TaskShare.task": _CHILD,
    "child-without-province:plans.TaskShare.cadre": _CHILD,
    "child-without-province:evaluation.SheetScore.sheet": _CHILD,
}


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    detail: str


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def schema_models() -> list[type[models.Model]]:
    """Every table Django manages, the many-to-many link tables too."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def distribution_column(model: type[models.Model]) -> str | None:
    """The column a table would be distributed by, or None for a reference or local table."""
    label = _label(model)
    if label in REFERENCE or label in LOCAL:
        return None
    if label in DISTRIBUTION_COLUMN:
        return DISTRIBUTION_COLUMN[label]
    columns = {f.column for f in model._meta.concrete_fields}
    return PROVINCE_COLUMN if PROVINCE_COLUMN in columns else None


def unique_column_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The columns of each unique constraint but the primary key, sorted (for the database's own view)."""
    return [tuple(sorted(columns)) for _name, columns in _unique_sets(model)]


def _unique_sets(model: type[models.Model]) -> Iterator[tuple[str, list[str]]]:
    """(name, columns) of every unique constraint but the primary key."""
    meta = model._meta
    for f in meta.concrete_fields:
        if f.unique and not f.primary_key:
            yield f.name, [f.column]
    for fields in meta.unique_together:
        yield "_".join(fields), [meta.get_field(n).column for n in fields]  # type: ignore[union-attr]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if constraint.fields:
                yield constraint.name, [meta.get_field(n).column for n in constraint.fields]  # type: ignore[union-attr]
            else:  # an expression: the check cannot read its columns
                yield constraint.name, []


def findings(tables: list[type[models.Model]] | None = None) -> list[Finding]:
    """What the rules find over `tables` (default: every table of the schema)."""
    out: list[Finding] = []
    for model in schema_models() if tables is None else tables:
        label = _label(model)
        column = distribution_column(model)
        if column is None:
            to_distributed = [f for f in model._meta.concrete_fields
                              if f.is_relation and f.related_model is not None and distribution_column(f.related_model)]
            kind = "reference-to-distributed" if label in REFERENCE else (
                "local-to-distributed" if label in LOCAL else "child-without-province")
            for f in to_distributed:
                out.append(Finding(kind, f"{kind}:{label}.{f.name}", f"{label}.{f.name} → {_label(f.related_model)}"
                                   f" ({kind.replace('-', ' ')})"))
            if not to_distributed and label not in REFERENCE and label not in LOCAL:
                out.append(Finding("unclassified", f"unclassified:{label}",
                                   f"{label} has no {PROVINCE_COLUMN}: name it in REFERENCE or LOCAL"))
            continue
        dist_field = next(f for f in model._meta.concrete_fields if f.column == column)
        if dist_field.null:
            out.append(Finding("nullable", f"nullable:{label}", f"{label}.{column} may be NULL"))
        for name, columns in _unique_sets(model):
            if column not in columns:
                out.append(Finding("unique", f"unique:{label}:{name}",
                                   f"{label} unique {name} ({', '.join(columns) or 'expression'}) lacks {column}"))
        for f in model._meta.concrete_fields:
            if not f.is_relation or f.related_model is None or f is dist_field:
                continue
            target = _label(f.related_model)
            if target in REFERENCE:
                continue
            if distribution_column(f.related_model) is None:
                out.append(Finding("fk-to-local", f"fk-to-local:{label}.{f.name}",
                                   f"{label}.{f.name} → {target}, neither reference nor distributed"))
    return out


def colocated_foreign_keys() -> list[tuple[type[models.Model], models.Field]]:
    """Foreign keys between two distributed tables: each becomes (province_id, x_id) → x (province_id,
    id) at distribution, which needs every row in its target's province (`rows_across_provinces`)."""
    pairs = []
    for model in schema_models():
        column = distribution_column(model)
        if column is None:
            continue
        for f in model._meta.concrete_fields:
            if (f.is_relation and f.related_model is not None and f.column != column
                    and distribution_column(f.related_model) is not None):
                pairs.append((model, f))
    return pairs


def rows_across_provinces() -> dict[str, int]:
    """For each co-located foreign key, the rows whose province differs from their target's: all zero
    when the schema can be distributed with its data as it is."""
    counts = {}
    for model, f in colocated_foreign_keys():
        mine, theirs = distribution_column(model), distribution_column(f.related_model)  # type: ignore[arg-type]
        assert mine and theirs
        mine_attr = next(x.attname for x in model._meta.concrete_fields if x.column == mine)
        their_attr = next(x.attname for x in f.related_model._meta.concrete_fields  # type: ignore[union-attr]
                          if x.column == theirs)
        across = (model._default_manager.filter(**{f"{f.name}__isnull": False})
                  .exclude(**{mine_attr: models.F(f"{f.name}__{their_attr}")}))
        counts[f"{_label(model)}.{f.name}"] = across.count()
    return counts


def primary_keys_to_widen() -> list[str]:
    return sorted(_label(m) for m in schema_models() if distribution_column(m))


def main() -> None:  # pragma: no cover - a report for people
    import django

    django.setup()
    found = findings()
    distributed = primary_keys_to_widen()
    print(f"{len(schema_models())} tables: {len(distributed)} distributed, {len(REFERENCE)} reference, "
          f"{len(LOCAL)} local; {len(colocated_foreign_keys())} co-located foreign keys")
    for finding in found:
        print(("exempt  " if finding.key in EXEMPT else "FAILS   ") + finding.detail)
    print(f"{len(found)} findings, {sum(f.key not in EXEMPT for f in found)} not exempt")


if __name__ == "__main__":  # pragma: no cover
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    main()
