"""The home page's "Tugas Anda": what waits for the user now, by when, and the link to do it.

One list for every role a person holds (an operator who is also a compiler sees both):
- a signatory: the PKs to approve or sign, or returned to their unit (agreements' queue);
- an operator: the planning year's PK (agreements.planning) of each unit they draft: to
  start, to complete and submit, to send once signed; the DIPA their office has not recorded;
  the open quarters of their signed PKs still to report (monitoring.worklist);
- a compiler: their province's Kab/Kota PKs delivered and waiting to be compiled;
- a national reviewer: the submissions waiting for a decision.
Each task names its deadline in the zone of the unit it is about.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.planning import planning_year
from agreements.views.signatory import APPROVE, REVISE, SIGN, waiting_for
from monitoring.worklist import quarters_to_report
from organisations.models import Membership, Role, Unit, UnitKind
from submissions.compilation import province_overview
from submissions.deadlines import compilation_deadline, deadlines_for
from submissions.dipa import dipa_office, recording_units
from submissions.models import CompilationCalendar, DeadlineKind, Decision, Dipa, Submission
from submissions.routing import Channel
from submissions.services import is_national_reviewer

MAX_TASKS = 30


@dataclass
class Task:
    text: str
    url: str
    action: str  # the button's word
    unit: Unit | None = None
    due: datetime.datetime | None = None
    note: str = ""

    @property
    def late(self) -> bool:
        return self.due is not None and self.due < timezone.now()


def _deadline(agreement, kind, now):
    rows = deadlines_for(agreement.unit, agreement.year, agreement.status, now)
    return next((row.due for row in rows if row.kind == kind), None)


def _signatory_tasks(user, now) -> list[Task]:
    tasks = []
    for item in waiting_for(user, with_reports=False):
        pk = item.agreement
        review = reverse("agreements:review", args=[pk.pk])
        if item.task == APPROVE:
            tasks.append(Task(_("Setujui %(pk)s") % {"pk": pk}, review, _("Tinjau"), pk.unit,
                              _deadline(pk, DeadlineKind.SIGNING, now)))  # fmt: skip
        elif item.task == SIGN:
            tasks.append(Task(_("Tandatangani %(pk)s") % {"pk": pk}, review + "#pk-signing",
                              _("Tinjau dan tandatangani"), pk.unit,
                              _deadline(pk, DeadlineKind.SIGNING, now)))  # fmt: skip
        elif item.task == REVISE:
            tasks.append(Task(_("Perbaiki %(pk)s yang dikembalikan") % {"pk": pk},
                              pk.get_absolute_url(), _("Buka PK"), pk.unit,
                              _deadline(pk, DeadlineKind.SIGNING, now), item.note))  # fmt: skip
    return tasks


def _operator_tasks(user, year, now) -> list[Task]:
    drafted = Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.OPERATOR, Role.ADMINISTRATOR]
    ).values("unit_id")
    units = list(Unit.objects.filter(pk__in=drafted).order_by("path"))
    if not units:
        return []
    pks = {
        a.unit_id: a
        for a in Agreement.objects.filter(unit__in=units, year=year).order_by("version")
    }
    tasks = []
    recorders = set(recording_units(user).values_list("pk", flat=True))
    for unit in units:
        office = dipa_office(unit)
        if office and office.pk in recorders and not Dipa.objects.governing(unit, year):
            tasks.append(Task(_("Catat DIPA %(unit)s tahun %(year)s") % {"unit": office,
                              "year": year}, reverse("dipa_edit", args=[year, office.code]),
                              _("Catat DIPA"), office))  # fmt: skip
        agreement = pks.get(unit.pk)
        if agreement is None:
            text = _("Buat PK %(unit)s tahun %(year)s") % {"unit": unit, "year": year}
            create = reverse("agreements:list") + f"?unit={unit.pk}&year={year}#buat-pk"
            tasks.append(Task(text, create, _("Buat PK"), unit))
            continue
        due = _deadline(agreement, DeadlineKind.SIGNING, now)
        if agreement.status == "draf":
            tasks.append(Task(_("Lengkapi dan ajukan %(pk)s") % {"pk": agreement},
                              agreement.get_absolute_url(), _("Buka PK"), unit, due))  # fmt: skip
        elif agreement.status == "ditandatangani":
            due = _deadline(agreement, DeadlineKind.SUBMISSION, now)
            tasks.append(Task(_("Sampaikan %(pk)s") % {"pk": agreement},
                              agreement.get_absolute_url() + "#pk-submission", _("Sampaikan"),
                              unit, due))  # fmt: skip
    return tasks


def _quarter_tasks(user, now) -> list[Task]:
    """The open quarters of the signed PKs the user reports, not yet submitted."""
    tasks = []
    for item in quarters_to_report(user, now):
        pk = item.agreement
        for quarter in item.quarters:
            if quarter.needs_work:
                url = reverse("monitoring:quarter", args=[pk.pk, quarter.number])
                tasks.append(Task(_("Isi realisasi %(quarter)s %(pk)s") % {
                    "quarter": quarter.label, "pk": pk}, url, _("Isi realisasi"), pk.unit,
                    quarter.window.closes_at))  # fmt: skip
    return tasks


def _compiler_tasks(user, year, now) -> list[Task]:
    provinces = Unit.objects.filter(
        kind=UnitKind.PROVINSI,
        province_units__memberships__user=user,
        province_units__memberships__role=Role.COMPILER,
        province_units__memberships__is_active=True,
    ).distinct()
    calendar = CompilationCalendar.objects.filter(year=year).values_list("compile_by", flat=True)
    tasks = []
    for province in provinces:
        ready = province_overview(province, year, now).ready_to_compile
        if not ready:
            continue
        tasks.append(Task(
            _("%(n)s PK Kab/Kota siap dikompilasi dan disampaikan ke KPU") % {"n": len(ready)},
            reverse("submissions:province", args=[province.code, year]), _("Susun kompilasi"),
            province, compilation_deadline(year, province.time_zone, calendar.first()),
        ))  # fmt: skip
    return tasks


def _reviewer_tasks(user, year) -> list[Task]:
    if not is_national_reviewer(user):
        return []
    waiting = Submission.objects.filter(
        Q(channel=Channel.KPU) | Q(compilation__submitted_at__isnull=False),
        agreement__year=year, decision=Decision.PENDING,
    ).count()  # fmt: skip
    if not waiting:
        return []
    return [Task(_("%(n)s PK menunggu reviu") % {"n": waiting},
                 reverse("review_dashboard", args=[year]), _("Buka reviu nasional"))]  # fmt: skip


def tasks_for(user, now: datetime.datetime | None = None) -> list[Task]:
    """What waits for `user`, the earliest deadline first, tasks without one last."""
    now = now or timezone.now()
    year = planning_year(timezone.localdate(now))
    tasks = _signatory_tasks(user, now) + _operator_tasks(user, year, now)
    tasks += _quarter_tasks(user, now)
    tasks += _compiler_tasks(user, year, now) + _reviewer_tasks(user, year)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(tasks, key=lambda task: task.due or far)[:MAX_TASKS]
