"""The monthly evaluation in three steps, the year, emulation titles and commendations (DESIGN §2, issue 12).

A `Rubric` is data (rubric.py reads its `body`), dated: the version valid on a month's first day is the
one a sheet is made with, and the sheet keeps it. Each month an `AgencyMonth` opens for an agency and a
`Sheet` for each of its cadres, pre-filled with the evidence (`Sheet.evidence`: the figures and the ids
of the records behind them). A `SheetScore` holds one general criterion: the cadre's points (step 1),
the assessor's (step 2, with a reason when changed). Step 3 concludes the agency's month: the grades are
fixed and the month is locked. A locked month changes only through a `Reopening` by the level above,
which keeps the values it reopened (`before`) and, once concluded again, the new ones (`after`).
Commendations are kept in the one register of decisions (campaigns' `Decision`, on no model); a title
proposal names the decision that awards it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gandan.campaigns.models import Decision
from gandan.evaluation.rubric import shown_label
from gandan.org.models import AdminUnit, Agency
from gandan.people.models import Cadre


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    FAILED = "failed", _("Không hoàn thành nhiệm vụ")


class RubricKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Cán bộ, công chức (Nghị định 335/2025/NĐ-CP)")
    PARTY_MEMBER = "party_member", _("Đảng viên (Quy định 366-QĐ/TW)")


class Veto(models.TextChoices):
    DEGRADATION = "degradation", _("Suy thoái tư tưởng chính trị, đạo đức, lối sống đã được kết luận")
    DISCIPLINE = "discipline", _("Bị kỷ luật từ khiển trách trở lên do vi phạm khi thi hành công vụ trong năm")
    UNIT_CORRUPTION = "unit_corruption", _("Đơn vị trực tiếp quản lý bị xử lý về tham nhũng, lãng phí")


class Rubric(models.Model):
    """A rubric version: national when `province` is empty, a province's, or an agency's; valid from a date."""

    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RubricKind.choices)
    name = models.CharField(max_length=200)
    valid_from = models.DateField()
    body = models.JSONField(help_text="criteria, combination, thresholds, vetoes, cap, annual rule (rubric.py)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], condition=Q(province__isnull=True),
                                    name="rubric_national_version_unique"),
            models.UniqueConstraint(fields=["province", "kind", "valid_from"], condition=Q(agency__isnull=True),
                                    name="rubric_province_version_unique"),
            models.UniqueConstraint(fields=["agency", "kind", "valid_from"], name="rubric_agency_version_unique"),
            models.CheckConstraint(condition=Q(agency__isnull=True) | Q(province__isnull=False),
                                   name="rubric_agency_has_province"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from:%d/%m/%Y}"


class TaskGroup(models.Model):
    """A cadre's group of similar tasks in their agency, set by its leadership or administrators: the
    excellent cap holds within the agency and within each group (Decree 335). Each month's sheets carry
    the group the cadre had when the month opened (`Sheet.task_group`)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+", help_text="the agency's unit")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="task_groups")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="task_groups")
    name = models.CharField(max_length=60)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency_id", "name", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "cadre"], name="evaluation_task_group_unique"),
                       models.CheckConstraint(condition=~Q(name=""), name="evaluation_task_group_named")]

    def __str__(self) -> str:
        return self.name


class MonthStatus(models.TextChoices):
    OPEN = "open", _("Đang đánh giá")
    CONCLUDED = "concluded", _("Đã kết luận, khóa")
    REOPENED = "reopened", _("Mở lại")


class AgencyMonth(models.Model):
    """An agency's month of evaluation: open, then concluded and locked by its leadership (step 3)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+", help_text="the agency's unit")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evaluation_months")
    month = models.DateField(help_text="its first day")
    kind = models.CharField(max_length=20, choices=RubricKind.choices, default=RubricKind.CIVIL_SERVANT,
                            help_text="the track: civil servants (Decree 335) or party members (366-QĐ/TW)")
    status = models.CharField(max_length=10, choices=MonthStatus.choices, default=MonthStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=False, help_text="grades and scores shown inside the agency")

    class Meta:
        ordering = ["-month", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "kind"], name="evaluation_month_unique"),
            models.CheckConstraint(condition=~Q(status="concluded") | Q(concluded_at__isnull=False),
                                   name="evaluation_month_concluded_dated"),
        ]
        indexes = [models.Index(fields=["province", "month", "status"], name="evaluation_month_status_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"

    @property
    def locked(self) -> bool:
        return self.status == MonthStatus.CONCLUDED


class SheetStatus(models.TextChoices):
    OPEN = "open", _("Chờ tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá, chờ người đánh giá")
    ASSESSED = "assessed", _("Đã đánh giá, chờ kết luận")
    CONCLUDED = "concluded", _("Đã kết luận")


class Sheet(models.Model):
    """One cadre's month: the evidence, the scores of the three steps, the grade, with its rubric version."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+", help_text="for scoped queries")
    agency_month = models.ForeignKey(AgencyMonth, on_delete=models.PROTECT, related_name="sheets")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="evaluation_sheets")
    month = models.DateField()
    kind = models.CharField(max_length=20, choices=RubricKind.choices, default=RubricKind.CIVIL_SERVANT)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="sheets")
    assessor = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="the direct manager at opening; none: a leader of the unit")
    is_leader = models.BooleanField(default=False, help_text="scored with the direction criteria")
    task_group = models.CharField(max_length=60, blank=True, help_text="the group of similar tasks, for the cap")
    status = models.CharField(max_length=15, choices=SheetStatus.choices, default=SheetStatus.OPEN)
    evidence = models.JSONField(default=dict, help_text="figures and record ids, as computed at opening")
    on_leave = models.BooleanField(default=False, help_text="on legitimate leave the whole month: not counted")
    days_worked = models.PositiveSmallIntegerField(default=30)
    exceeding = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0),
                                    help_text="products that exceeded requirements (366-QĐ/TW)")
    vetoes = models.JSONField(default=list, blank=True)
    initiatives = models.BooleanField(default=False, help_text="a leader's initiatives this month (step 2 or 3), "
                                                               "for the organising criterion")
    initiatives_reason = models.TextField(blank=True, help_text="what the initiatives were, as recorded")
    self_comment = models.TextField(blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    assessor_comment = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_at = models.DateTimeField(null=True, blank=True)
    general_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    task_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    computed_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True,
                                      help_text="by the score and vetoes, before the cap")
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency: +1 on every change of "
                                                                "the sheet (core/concurrency.py)")

    class Meta:
        ordering = ["month", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "month", "kind"], name="evaluation_sheet_unique"),
            models.CheckConstraint(condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                                   name="evaluation_sheet_total_bounds"),
            models.CheckConstraint(condition=~Q(status="concluded") | ~Q(grade="") | Q(on_leave=True),
                                   name="evaluation_sheet_graded"),
            models.CheckConstraint(condition=Q(days_worked__lte=31), name="evaluation_sheet_days"),
            models.CheckConstraint(condition=Q(initiatives=False) | ~Q(initiatives_reason=""),
                                   name="evaluation_sheet_initiatives_reason"),
        ]
        indexes = [models.Index(fields=["province", "month", "status"], name="evaluation_sheet_status_idx"),
                   models.Index(fields=["assessor", "status"], name="evaluation_sheet_assessor_idx")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.month:%m/%Y}"


class SheetScore(models.Model):
    """One general criterion of a sheet: step 1 (the cadre) and step 2 (the assessor, with a reason)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(max_length=40)
    self_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    assessor_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True, help_text="why the assessor changed the cadre's points")

    class Meta:
        ordering = ["sheet_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="evaluation_score_unique"),
            models.CheckConstraint(condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                                   name="evaluation_score_self_positive"),
            models.CheckConstraint(condition=Q(assessor_points__isnull=True) | Q(assessor_points__gte=0),
                                   name="evaluation_score_assessor_positive"),
            models.CheckConstraint(
                condition=Q(assessor_points__isnull=True) | Q(self_points__isnull=True)
                | Q(assessor_points=models.F("self_points")) | ~Q(reason=""),
                name="evaluation_score_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.code}"

    @property
    def points(self) -> Decimal | None:
        return self.assessor_points if self.assessor_points is not None else self.self_points


class Reopening(models.Model):
    """A locked month reopened by the level above, with its reason; both values stay visible."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency_month = models.ForeignKey(AgencyMonth, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField()
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(help_text="each sheet's total and grade when reopened")
    after = models.JSONField(null=True, blank=True, help_text="each sheet's total and grade when concluded again")

    class Meta:
        ordering = ["reopened_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="evaluation_reopening_reason")]

    def __str__(self) -> str:
        return f"{self.agency_month_id} {self.reopened_at:%d/%m/%Y}"


class AnnualResult(models.Model):
    """A cadre's year, computed by the rubric's annual rule from the concluded months (transfers included)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="the grading agency")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="annual_results")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=RubricKind.choices, default=RubricKind.CIVIL_SERVANT)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    months = models.JSONField(help_text="the months counted: month, total, grade, agency, sheet id")
    months_counted = models.PositiveSmallIntegerField(default=0)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    computed_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True,
                                      help_text="by the rule and vetoes, before the year's cap")
    vetoes = models.JSONField(default=list, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "cadre_id"]
        constraints = [models.UniqueConstraint(fields=["cadre", "year", "kind"], name="evaluation_annual_unique"),
                       models.CheckConstraint(condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                                              name="evaluation_annual_bounds")]
        indexes = [models.Index(fields=["province", "year"], name="evaluation_annual_idx")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.year}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề nghị")
    AWARDED = "awarded", _("Đã công nhận")
    DECLINED = "declined", _("Không công nhận")


class TitleProposal(models.Model):
    """An emulation title the annual review proposes for a cadre (a code of the rubric's `titles`)."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    annual = models.ForeignKey(AnnualResult, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decision = models.OneToOneField(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal",
                                    help_text="the commendation in the campaigns' register of decisions that awards it")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["annual_id", "id"]
        constraints = [models.UniqueConstraint(fields=["annual", "title"], name="evaluation_title_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def shown_label(self) -> str:
        """The title's name in the user's language when it is one of the shipped defaults'."""
        return shown_label(self.label)


class EvaluationReminder(models.Model):
    """An in-app notice that a step is late; at most one a day per recipient, sheet and step."""

    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="evaluation_reminders")
    agency_month = models.ForeignKey(AgencyMonth, on_delete=models.CASCADE, related_name="reminders")
    step = models.PositiveSmallIntegerField()
    day = models.DateField()
    message = models.CharField(max_length=400)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "agency_month", "step", "day"],
                                               name="evaluation_reminder_once_a_day")]

    def __str__(self) -> str:
        return self.message
