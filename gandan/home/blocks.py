"""The work lists of the home pages, one builder per kind of work, each composed from the domain
apps' query functions (fieldwork.queries, petitions.queries, assignments.coverage_queries) so that
the reports can reuse the same reads. A block is a heading, lines that each link to the rows they
count, and a link to the whole list; the home view only picks the blocks of the user's roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gandan.assignments import coverage_queries
from gandan.fieldwork import queries as fieldwork_queries
from gandan.org.models import AdminUnit
from gandan.people.models import Cadre, User
from gandan.petitions import queries as petition_queries
from gandan.petitions import reports as petition_reports
from gandan.petitions import states as petition_states

LINES = 8
LEVEL_LABELS = {"district": gettext_lazy("huyện"), "commune": gettext_lazy("xã, phường"),
                "village": gettext_lazy("thôn, bản"), "household": gettext_lazy("hộ")}


@dataclass
class Line:
    text: str
    url: str
    detail: str = ""
    figure: str = ""
    tone: str = ""  # "late", "soon", "ok" or ""


@dataclass
class Block:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    more_url: str = ""
    more_text: str = ""
    empty: str = ""
    figures: list[Line] = field(default_factory=list)  # big numbers above the lines


def _n(value: int) -> str:
    """A count in the user's locale (1.136 in Vietnamese, 1,136 in English)."""
    return number_format(value, force_grouping=True)


def _url(name: str, *args: Any, **query: Any) -> str:
    base = reverse(name, args=args)
    return f"{base}?{urlencode(query)}" if query else base


def _deadline(petition: Any) -> dt.datetime:
    return petition.accept_due_at if petition.status in petition_queries.states.AWAITING_ACCEPT else petition.due_at


def _petition_line(p: Any) -> Line:
    due = timezone.localtime(_deadline(p))
    return Line(text=f"{p.code} · {p.text[:90]}", url=reverse("petitions-detail", args=[p.pk]),
                detail=f"{p.unit.name} · {_('hạn')} {due:%d/%m/%Y %H:%M}", tone="late" if getattr(p, "late", 0) else "")


# -- the cadre ------------------------------------------------------------------------------------
def cadre_week(user: User, cadre: Cadre, today: dt.date) -> Block:
    week = fieldwork_queries.cadre_week(user, cadre, today)
    first = today.replace(day=1)
    block = Block("week", _("Đi cơ sở tuần này"), more_url=reverse("fieldwork-capture"),
                  more_text=_("Ghi lần đi cơ sở"))
    mine = _url("fieldwork-visits", cadre=cadre.pk, date_from=week.week_start.isoformat(),
                date_to=week.week_end.isoformat())
    block.figures.append(Line(text=_("lần đi cơ sở tuần này"), url=mine, figure=_n(week.visits_this_week)))
    if week.result is None:
        block.empty = _("Chưa có chỉ tiêu áp dụng cho bạn.")
        return block
    labels = _measure_labels()
    month = _url("fieldwork-visits", cadre=cadre.pk, date_from=first.isoformat())
    for m in week.result.result.measures:
        block.figures.append(Line(text=str(labels.get(m.name, m.name)), url=month, figure=f"{m.done}/{m.target}",
                                  tone="late" if m.behind else ("ok" if m.met else "")))
    for m, more in week.due_this_week:
        block.lines.append(Line(
            text=_("%(label)s: cần thêm %(n)s trước Chủ nhật %(d)s") % {
                "label": labels.get(m.name, m.name), "n": more, "d": week.week_end.strftime("%d/%m")},
            url=reverse("fieldwork-area"), tone="soon"))
    if not block.lines:
        block.empty = _("Bạn đã đạt mức chỉ tiêu cần có đến hết tuần này.")
    return block


def cadre_month(user: User, cadre: Cadre, today: dt.date) -> Block:
    """My visits this month against the quota, with the latest ones."""
    first = today.replace(day=1)
    report = fieldwork_queries.compliance_for(user, today, cadre_ids=[cadre.pk], today=today)
    month = _url("fieldwork-visits", cadre=cadre.pk, date_from=first.isoformat())
    block = Block("my-month", _("Đi cơ sở tháng %(m)s so với chỉ tiêu") % {"m": today.strftime("%m/%Y")},
                  more_url=month, more_text=_("Xem tất cả"), empty=_("Chưa có lần đi cơ sở nào trong tháng."))
    labels = _measure_labels()
    if report.cadres:
        for m in report.cadres[0].result.measures:
            block.figures.append(Line(text=str(labels.get(m.name, m.name)), url=month, figure=f"{m.done}/{m.target}",
                                      tone="late" if m.behind else ("ok" if m.met else "")))
    visits = fieldwork_queries.places_of(list(fieldwork_queries.visits_visible(user).filter(cadre=cadre)
                                              .in_month(today).order_by("-date", "-id")[:LINES]))
    for v in visits:
        block.lines.append(Line(text=f"{v.date:%d/%m/%Y} · {v.get_kind_display()}",
                                url=reverse("fieldwork-visit", args=[v.pk]),
                                detail=", ".join(getattr(v, "place_names", []))))
    return block


def _measure_labels() -> dict[str, str]:
    return {"field_days": _("Ngày xuống thôn, bản"), "visits": _("Lần đi cơ sở"),
            "meetings": _("Dự họp ở địa bàn phụ trách")}


def my_concerns(user: User) -> Block:
    rows = petition_queries.inbox(user, "mine")
    block = Block("my-concerns", _("Phản ánh tôi đang giữ, theo hạn"), more_url=_url("petitions-home", box="mine"),
                  more_text=_("Xem tất cả"), empty=_("Bạn không giữ phản ánh nào."))
    block.lines = [_petition_line(p) for p in rows[:LINES]]
    return block


def my_meetings(user: User, cadre: Cadre, today: dt.date) -> Block:
    block = Block("my-meetings", _("Cuộc họp sắp tới của tôi"), more_url=reverse("fieldwork-meetings"),
                  more_text=_("Tất cả cuộc họp"), empty=_("Chưa có cuộc họp nào sắp tới."))
    for m in fieldwork_queries.upcoming_meetings(user, cadre, today):
        block.lines.append(Line(text=f"{m.date:%d/%m/%Y} · {m}", url=reverse("fieldwork-meeting", args=[m.pk]),
                                detail=m.unit.name))
    return block


# -- the leader -----------------------------------------------------------------------------------
def awaiting(user: User) -> Block:
    rows = petition_queries.awaiting_acceptance(user)
    overdue = petition_queries.overdue_in_scope(user).count()
    block = Block("awaiting", _("Phản ánh chờ tiếp nhận"), more_url=_url("petitions-home", box="unit"),
                  more_text=_("Hộp việc của đơn vị"), empty=_("Không có phản ánh nào chờ tiếp nhận."))
    block.figures.append(Line(text=_("chờ tiếp nhận"), url=_url("petitions-home", box="unit"),
                              figure=_n(rows.count())))
    block.figures.append(Line(text=_("quá hạn trong phạm vi"), url=_url("petitions-list", overdue=1),
                              figure=_n(overdue), tone="late" if overdue else "ok"))
    block.lines = [_petition_line(p) for p in rows[:LINES]]
    return block


def coverage_gaps(roots: list[AdminUnit], today: dt.date) -> Block:
    block = Block("coverage", _("Độ phủ theo dõi"), empty=_("Mọi địa bàn đã có người theo dõi chính."))
    for root in roots[:3]:
        url = reverse("assignments-coverage", args=[root.pk])
        block.more_url = block.more_url or url
        for level, tally in coverage_queries.level_tallies(root, today).items():
            block.figures.append(Line(text=f"{LEVEL_LABELS[level]} · {root.name}", url=url,
                                      figure=f"{tally.percent if tally.percent is not None else '—'}%",
                                      tone="ok" if not tally.gaps else ""))
            if tally.gaps:
                block.lines.append(Line(
                    text=_("%(level)s chưa có người theo dõi chính: %(n)s") % {"n": _n(tally.gaps),
                                                                             "level": LEVEL_LABELS[level]},
                    url=f"{url}?gl={level}", detail=root.name, tone="soon"))
    block.more_text = _("Xem độ phủ") if block.more_url else ""
    return block


def cadres_behind(user: User, today: dt.date, unit: AdminUnit | None = None) -> Block:
    summary = fieldwork_queries.month_summary(user, today, unit)
    behind = summary["behind"]
    block = Block("behind", _("Cán bộ đang chậm chỉ tiêu tháng"), more_url=reverse("fieldwork-compliance"),
                  more_text=_("Thực hiện chỉ tiêu"), empty=_("Không có cán bộ nào đang chậm chỉ tiêu."))
    block.figures.append(Line(text=_("cán bộ đạt chỉ tiêu"), url=reverse("fieldwork-compliance"),
                              figure=f"{summary['overall'].pct}%"))
    block.figures.append(Line(text=_("đang chậm"), url=reverse("fieldwork-compliance"), figure=_n(len(behind)),
                              tone="late" if behind else "ok"))
    first = today.replace(day=1).isoformat()
    for c in behind[:LINES]:
        done = ", ".join(f"{m.done}/{m.target}" for m in c.result.measures)
        block.lines.append(Line(text=c.full_name, url=_url("fieldwork-visits", cadre=c.id, date_from=first),
                                detail=f"{c.agency_name} · {done}", tone="late"))
    return block


def administration(user: User) -> Block:
    """The unit administrator's own work: accounts and roles, imports, the assignments."""
    block = Block("administration", _("Quản trị đơn vị"))
    block.lines = [Line(text=_("Tài khoản và vai trò"), url=reverse("accounts")),
                   Line(text=_("Nhập dữ liệu"), url=reverse("imports-home")),
                   Line(text=_("Danh sách phân công"), url=reverse("assignments-list"))]
    return block


# -- the department -------------------------------------------------------------------------------
def department_inbox(user: User) -> Block:
    rows = petition_queries.inbox(user, "department")
    block = Block("department", _("Hộp việc của sở, ngành, theo hạn"),
                  more_url=_url("petitions-home", box="department"), more_text=_("Xem tất cả"),
                  empty=_("Sở, ngành không có phản ánh nào đang chờ."))
    late = sum(1 for p in rows[:200] if getattr(p, "late", 0))
    block.figures.append(Line(text=_("đang chờ xử lý"), url=_url("petitions-home", box="department"),
                              figure=_n(rows.count())))
    block.figures.append(Line(text=_("quá hạn"), url=_url("petitions-home", box="department"), figure=_n(late),
                              tone="late" if late else "ok"))
    block.lines = [_petition_line(p) for p in rows[:LINES]]
    return block


# -- the committee --------------------------------------------------------------------------------
def glance(user: User, root: AdminUnit, today: dt.date) -> list[Block]:
    """The province (or the scope's root) at a glance: coverage, field work, concerns, the ranking."""
    blocks = [coverage_gaps([root], today)]
    work = fieldwork_queries.month_summary(user, today)
    field = Block("fieldwork", _("Đi cơ sở tháng %(m)s") % {"m": today.strftime("%m/%Y")},
                  more_url=reverse("fieldwork-home"), more_text=_("Đi cơ sở"))
    first = today.replace(day=1).isoformat()
    field.figures = [
        Line(text=_("lần đi cơ sở"), url=_url("fieldwork-visits", date_from=first), figure=_n(work["visits"])),
        Line(text=_("cán bộ đạt chỉ tiêu"), url=reverse("fieldwork-compliance"), figure=f"{work['overall'].pct}%"),
        Line(text=_("đang chậm"), url=reverse("fieldwork-compliance"), figure=_n(len(work["behind"])),
             tone="late" if work["behind"] else "ok"),
    ]
    for name, summary in work["report"].by_unit[:5]:
        field.lines.append(Line(text=str(name), url=reverse("fieldwork-compliance"),
                                detail=_("%(pct)s%% cán bộ đạt chỉ tiêu") % {"pct": summary.pct},
                                tone="late" if summary.pct < 50 else ""))
    concerns = petition_queries.scope_summary(user)
    petitions = Block("concerns", _("Phản ánh, kiến nghị"), more_url=reverse("petitions-list"),
                      more_text=_("Danh sách phản ánh"))
    petitions.figures = [
        Line(text=_("đang mở"), url=reverse("petitions-list"), figure=_n(concerns["open"])),
        Line(text=_("quá hạn"), url=_url("petitions-list", overdue=1), figure=_n(concerns["overdue"]),
             tone="late" if concerns["overdue"] else "ok"),
        Line(text=_("tiếp nhận trong tháng"), url=_url("petitions-list", start=first, end=today.isoformat()),
             figure=_n(concerns["this_month"])),
    ]
    petitions.lines = [_petition_line(p) for p in petition_queries.overdue_in_scope(user)[:5]]
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    units, _agencies = petition_reports.ranking(root, month)
    ranking = Block("ranking", _("Xếp hạng giải quyết phản ánh tháng %(m)s") % {"m": month.strftime("%m/%Y")},
                    more_url=_url("petitions-ranking", m=month.strftime("%Y-%m")), more_text=_("Bảng xếp hạng"),
                    empty=_("Chưa đủ phản ánh để xếp hạng."))
    ranked = [r for r in units if r.rank is not None]
    for r in ranked[:3] + [r for r in ranked[-3:] if r not in ranked[:3]]:
        ranking.lines.append(Line(text=r.name, url=reverse("unit-detail", args=[r.pk]),
                                  detail=_("hạng %(rank)s/%(of)s trong nhóm") % {"rank": r.rank, "of": r.of},
                                  tone="ok" if r.rank == 1 else ("late" if r.rank == r.of and r.of > 1 else "")))
    return [*blocks, field, petitions, ranking]


def unit_work(user: User, unit: AdminUnit, today: dt.date) -> list[Block]:
    """A unit's own page: its concerns, its field work this month and its coverage."""
    concerns = petition_queries.scope_summary(user, unit)
    petitions = Block("unit-concerns", _("Phản ánh, kiến nghị"), more_url=_url("petitions-list", unit=unit.pk),
                      more_text=_("Danh sách phản ánh"))
    petitions.figures = [
        Line(text=_("đang mở"), url=_url("petitions-list", unit=unit.pk), figure=_n(concerns["open"])),
        Line(text=_("quá hạn"), url=_url("petitions-list", unit=unit.pk, overdue=1), figure=_n(concerns["overdue"]),
             tone="late" if concerns["overdue"] else "ok"),
    ]
    work = fieldwork_queries.month_summary(user, today, unit)
    first = today.replace(day=1).isoformat()
    field = Block("unit-fieldwork", _("Đi cơ sở tháng %(m)s") % {"m": today.strftime("%m/%Y")},
                  more_url=_url("fieldwork-visits", unit=unit.pk, date_from=first), more_text=_("Danh sách đi cơ sở"))
    field.figures = [
        Line(text=_("lần đi cơ sở"), url=_url("fieldwork-visits", unit=unit.pk, date_from=first),
             figure=_n(work["visits"])),
        Line(text=_("cán bộ đạt chỉ tiêu"), url=_url("fieldwork-compliance", unit=unit.pk),
             figure=f"{work['overall'].pct}%"),
    ]
    coverage = coverage_gaps([unit], today)
    return [petitions, field, coverage]


# -- an ended unit --------------------------------------------------------------------------------
LIFE_START = dt.date(2000, 1, 1)  # the rates of "its whole life": from before any record the system holds


def unit_history(user: User, unit: AdminUnit) -> list[Block]:
    """An ended unit's page: no work of today (nothing is recorded at it any more, and its figures of this
    month would always be nought) but its history up to its last day, each block saying when it ended and
    where its work went; links only to lists and pages that read."""
    if unit.valid_to is None:
        raise ValueError("unit_history is the page of an ended unit")
    ended_on = unit.valid_to
    last = ended_on - dt.timedelta(days=1)
    until = last.strftime("%d/%m/%Y")
    successor = unit.successor
    ended = Block("unit-ended", _("Đã sáp nhập, không còn nhận việc mới"))
    if successor is not None:
        ended.lines.append(Line(
            text=_("Từ ngày %(d)s việc mới ghi tại %(unit)s") % {"d": ended_on.strftime("%d/%m/%Y"),
                                                                "unit": successor.name},
            url=reverse("unit-detail", args=[successor.pk])))
        if unit.heir_id and unit.heir_id != successor.pk:
            heir = AdminUnit.objects.only("pk", "name").get(pk=unit.heir_id)
            ended.lines.append(Line(text=_("%(unit)s nay thuộc %(heir)s") % {"unit": successor.name, "heir": heir.name},
                                    url=reverse("unit-detail", args=[heir.pk])))
    return [ended, _concerns_history(user, unit, last, until), _fieldwork_history(user, unit, last, until)]


def _concerns_history(user: User, unit: AdminUnit, last: dt.date, until: str) -> Block:
    concerns = petition_queries.search(user, petition_queries.Filters(unit=unit.pk))
    closed = concerns.filter(status__in=petition_states.FINAL).count()
    _units, _agencies, rates = petition_reports.rates_table(unit, LIFE_START, last)
    listed = _url("petitions-list", unit=unit.pk)
    rated = _url("petitions-rates", unit=unit.pk, start=LIFE_START.isoformat(), end=last.isoformat())
    block = Block("unit-history-concerns", _("Phản ánh, kiến nghị đến ngày %(d)s") % {"d": until},
                  more_url=rated, more_text=_("Các tỷ lệ của đơn vị"))
    block.figures = [
        Line(text=_("phản ánh tại địa bàn"), url=listed, figure=_n(concerns.count())),
        Line(text=_("đã kết thúc"), url=listed, figure=_n(closed)),
        Line(text=_("giải quyết đúng hạn"), url=rated, figure=_percent(rates.on_time.percent)),
        Line(text=_("người dân hài lòng"), url=rated, figure=_percent(rates.satisfaction.percent)),
    ]
    return block


def _fieldwork_history(user: User, unit: AdminUnit, last: dt.date, until: str) -> Block:
    first = last.replace(day=1)
    life = fieldwork_queries.visits_filtered(user, fieldwork_queries.VisitFilters(unit=unit, date_to=last))
    in_last_month = life.filter(date__gte=first).count()
    block = Block("unit-history-fieldwork", _("Đi cơ sở đến ngày %(d)s") % {"d": until},
                  more_url=_url("fieldwork-visits", unit=unit.pk, date_to=last.isoformat()),
                  more_text=_("Danh sách đi cơ sở"))
    block.figures = [
        Line(text=_("lần đi cơ sở tháng cuối (%(m)s)") % {"m": first.strftime("%m/%Y")},
             url=_url("fieldwork-visits", unit=unit.pk, date_from=first.isoformat(), date_to=last.isoformat()),
             figure=_n(in_last_month)),
        Line(text=_("lần đi cơ sở cả thời gian"), url=block.more_url, figure=_n(life.count())),
    ]
    return block


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value)}%"
