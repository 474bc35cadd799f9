"""Reminders on a schedule, and the supervisors' daily digest.

Each reminder kind is a *source*: a function of the day that yields Reminder values (a unique
key, the account, the message and a link). `reminders_run` asks every source in
REMINDER_SOURCES and sends each reminder once: the key is written as a ReminderSent row (unique)
in the same transaction as the notification, so a second run, or a second worker running the
same job at the same moment, sends nothing twice. Inactive accounts and employees never get
one; a person who muted the kind (NotificationPreference.muted_kinds) neither.

Plugging in more kinds (e.g. training sessions starting, development-plan items overdue, from
kinerja.competency): write a source and add it with `register_reminder_source(kind, label,
collect)` (from the owning app's AppConfig.ready(), or by appending to REMINDER_SOURCES below),
and add the kind to kinerja.adoption.choices.NotificationKind so that people can choose it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kinerja.assessment.choices import AssessmentStatus, ObjectionStatus
from kinerja.assessment.models import Assessment, Objection
from kinerja.competency.reminders import plan_items_open, sessions_starting
from kinerja.core.links import absolute_url
from kinerja.core.notifications import notify
from kinerja.organisation.models import User
from kinerja.performance.choices import IndicatorSource, PlanStatus
from kinerja.performance.models import Indicator, Plan, Realisation
from kinerja.rules.calendar import MONTHS, entry_deadline, months_due
from kinerja.rules.enums import Predikat
from kinerja.rules.objection import objection_deadline
from kinerja.rules.periods import periods_of_year
from kinerja.rules.reminders import (
    in_reminder_window,
    realisation_month_to_remind,
    waited_longer_than,
)

from .channels import SUBJECT_PREFIX, footer, preference_of, wants
from .choices import Channel, DeliveryStatus, EmailMode, NotificationKind
from .models import Delivery, DigestItem, ReminderSent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    user_id: int
    message: str
    url: str = ""


Collect = Callable[[date], Iterable[Reminder]]


@dataclass(frozen=True)
class ReminderSource:
    kind: str
    label: str
    collect: Collect


def _fmt(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _active_users(prefix: str = "") -> Q:
    return Q(**{f"{prefix}user__is_active": True, f"{prefix}is_active": True})


# --- Sources -------------------------------------------------------------------------------------


def realisation_due(today: date) -> Iterator[Reminder]:
    """Employees with an approved plan and a manual indicator without a realisation for the
    month whose entry deadline is 3 days (ADOPTION_REALISATION_DAYS_BEFORE) away or less."""
    due = realisation_month_to_remind(
        today, settings.ADOPTION_REALISATION_DAYS_BEFORE, settings.REALISATION_DEADLINE_DAY
    )
    if due is None:
        return
    year, month = due
    deadline = entry_deadline(year, month, settings.REALISATION_DEADLINE_DAY)
    missing = Indicator.objects.filter(
        rhk__plan=OuterRef("pk"), source=IndicatorSource.MANUAL
    ).exclude(Exists(Realisation.objects.filter(indicator=OuterRef("pk"), month=month)))
    plans = (
        Plan.objects.filter(
            Exists(missing),
            _active_users("employee__"),
            year=year,
            status=PlanStatus.APPROVED,
            period_start__lte=date(year, month, 28),
        )
        .values_list("pk", "employee__user__pk")
        .order_by("pk")
    )
    for plan_id, user_id in plans:
        yield Reminder(
            key=f"realisasi:{year}-{month:02d}:{user_id}",
            user_id=user_id,
            message=(
                f"Realisasi {MONTHS[month - 1]} {year} belum lengkap. Batas pengisian tepat waktu: "
                f"{_fmt(deadline)}."
            ),
            url=reverse("performance:plan_detail", args=[plan_id]),
        )


def plans_waiting(today: date) -> Iterator[Reminder]:
    """Assessing officials whose subordinates' plans have waited for approval longer than
    ADOPTION_PLAN_WAITING_DAYS days (one reminder per submission)."""
    days = settings.ADOPTION_PLAN_WAITING_DAYS
    tz = timezone.get_current_timezone()
    cutoff = datetime.combine(today - timedelta(days=days), time.min, tzinfo=tz)
    plans = (
        Plan.objects.filter(
            status=PlanStatus.SUBMITTED,
            submitted_at__lt=cutoff,
            assessor__isnull=False,
            assessor__is_active=True,
            assessor__user__is_active=True,
            employee__is_active=True,
        )
        .values_list("pk", "submitted_at", "assessor__user__pk", "employee__name")
        .order_by("pk")
    )
    for plan_id, submitted_at, user_id, name in plans:
        since = timezone.localtime(submitted_at).date()
        if not waited_longer_than(since, today, days):
            continue
        yield Reminder(
            key=f"skp_menunggu:{plan_id}:{submitted_at:%Y%m%d%H%M%S}",
            user_id=user_id,
            message=f"SKP {name} menunggu persetujuan Anda sejak {_fmt(since)}.",
            url=reverse("performance:plan_detail", args=[plan_id]),
        )


def assessment_closing(today: date) -> Iterator[Reminder]:
    """Assessing officials with approved plans to rate, when the assessment period ends within
    ADOPTION_PERIOD_DAYS_BEFORE days."""
    for period in periods_of_year(today.year, settings.ASSESSMENT_PERIODICITY):
        if not in_reminder_window(period.end, today, settings.ADOPTION_PERIOD_DAYS_BEFORE):
            continue
        rated = Assessment.objects.filter(
            plan=OuterRef("pk"), period=period.code, status=AssessmentStatus.FINAL
        )
        assessors = (
            Plan.objects.filter(
                year=period.year,
                status=PlanStatus.APPROVED,
                employee__is_active=True,
                assessor__isnull=False,
                assessor__is_active=True,
                assessor__user__is_active=True,
            )
            .exclude(Exists(rated))
            .values("assessor__user__pk")
            .annotate(n=Count("pk"))
            .order_by("assessor__user__pk")
        )
        for row in assessors:
            user_id = row["assessor__user__pk"]
            yield Reminder(
                key=f"penilaian:{period.code}:{user_id}",
                user_id=user_id,
                message=(
                    f"Periode {period.label} berakhir {_fmt(period.end)}. {row['n']} pegawai "
                    "menunggu penilaian Anda."
                ),
                url=reverse("assessment:team") + f"?periode={period.code}",
            )


def objection_closing(today: date) -> Iterator[Reminder]:
    """Employees shown a final result below "Baik" whose 14-day objection window (PP 30/2019
    Pasal 59) ends within ADOPTION_OBJECTION_DAYS_BEFORE days and who have not objected."""
    days = settings.ADOPTION_OBJECTION_DAYS_BEFORE
    tz = timezone.get_current_timezone()
    earliest = datetime.combine(today - timedelta(days=15), time.min, tzinfo=tz)
    rows = (
        Assessment.objects.filter(
            _active_users("employee__"),
            status=AssessmentStatus.FINAL,
            shown_at__gte=earliest,
        )
        .exclude(predikat__in=[Predikat.SANGAT_BAIK.value, Predikat.BAIK.value])
        .exclude(Exists(Objection.objects.filter(assessment=OuterRef("pk"))))
        .values_list("pk", "shown_at", "employee__user__pk", "period")
        .order_by("pk")
    )
    now = timezone.now()
    for pk, shown_at, user_id, period in rows:
        deadline = objection_deadline(shown_at)
        if deadline < now:
            continue
        if not in_reminder_window(timezone.localtime(deadline).date(), today, days):
            continue
        yield Reminder(
            key=f"keberatan:{pk}:{user_id}",
            user_id=user_id,
            message=(
                f"Batas waktu keberatan atas hasil penilaian {period}: "
                f"{timezone.localtime(deadline):%d-%m-%Y %H:%M}."
            ),
            url=reverse("assessment:result", args=[pk]),
        )


# --- Competency development (kinerja.competency.reminders says who; this says when) ---------


def _accounts(employee_ids: Iterable[int]) -> dict[int, int]:
    """Employee id → the id of their active account (active employees only)."""
    return dict(
        User.objects.filter(
            employee_id__in=set(employee_ids), is_active=True, employee__is_active=True
        ).values_list("employee_id", "pk")
    )


def _from_competency(found: Iterable[Any], key: Callable[[Any], str]) -> Iterator[Reminder]:
    found = list(found)
    accounts = _accounts(r.employee_id for r in found)
    for r in found:
        user_id = accounts.get(r.employee_id)
        if user_id is not None:
            yield Reminder(key=key(r), user_id=user_id, message=r.message, url=r.url)


def training_starting(today: date) -> Iterator[Reminder]:
    """Participants of the training sessions that start tomorrow (one reminder each)."""
    tomorrow = today + timedelta(days=1)
    yield from _from_competency(
        sessions_starting(tomorrow), lambda r: f"pelatihan_mulai:{r.url}:{r.employee_id}"
    )


def development_items_open(today: date) -> Iterator[Reminder]:
    """From July, once a quarter: agreed development-plan items whose programme the employee
    has not enrolled in this year (DOMAIN §4: the 20 JP must be reached by December)."""
    if today.month < 7:
        return
    quarter = (today.month - 1) // 3 + 1
    yield from _from_competency(
        plan_items_open(today.year),
        lambda r: f"rencana_pengembangan:{r.employee_id}:{r.url}:{today.year}Q{quarter}",
    )


REMINDER_SOURCES: list[ReminderSource] = [
    ReminderSource(NotificationKind.REALISATION_DUE, "Batas pengisian realisasi", realisation_due),
    ReminderSource(NotificationKind.PLAN_WAITING, "SKP menunggu persetujuan", plans_waiting),
    ReminderSource(
        NotificationKind.ASSESSMENT_CLOSING, "Periode penilaian berakhir", assessment_closing
    ),
    ReminderSource(NotificationKind.OBJECTION_DEADLINE, "Batas waktu keberatan", objection_closing),
    ReminderSource(
        NotificationKind.TRAINING_STARTING, "Pelatihan dimulai besok", training_starting
    ),
    ReminderSource(
        NotificationKind.DEVELOPMENT_ITEM_OPEN,
        "Rencana pengembangan belum ditindaklanjuti",
        development_items_open,
    ),
]


def register_reminder_source(kind: str, label: str, collect: Collect) -> None:
    """Add a reminder kind (once per kind; registering again replaces it)."""
    REMINDER_SOURCES[:] = [s for s in REMINDER_SOURCES if s.kind != kind]
    REMINDER_SOURCES.append(ReminderSource(kind, label, collect))


# --- Sending -------------------------------------------------------------------------------------


def _send_once(reminder: Reminder, kind: str) -> bool:
    """Record the key and notify in one transaction; False when the key was already sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=reminder.key[:120], user_id=reminder.user_id, kind=kind)
            notify(
                recipient=User(pk=reminder.user_id),
                message=reminder.message,
                url=reminder.url,
                kind=kind,
            )
    except IntegrityError:
        return False
    return True


def reminders_run(today: date | None = None, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Send every due reminder of every source (or of `kinds`); returns how many per kind."""
    today = today or timezone.localdate()
    wanted = set(kinds) if kinds is not None else None
    sent: dict[str, int] = {}
    for source in list(REMINDER_SOURCES):
        if wanted is not None and source.kind not in wanted:
            continue
        reminders = list(source.collect(today))
        user_ids = {r.user_id for r in reminders}
        already = set(
            ReminderSent.objects.filter(key__in=[r.key for r in reminders]).values_list(
                "key", flat=True
            )
        )
        users = {
            u.pk: u
            for u in User.objects.select_related("channel_preference").filter(
                pk__in=user_ids, is_active=True
            )
        }
        count = 0
        for reminder in reminders:
            user = users.get(reminder.user_id)
            if user is None or reminder.key in already:
                continue
            if not wants(preference_of(user), source.kind):
                continue
            count += _send_once(reminder, source.kind)
        sent[str(source.kind)] = count
    return sent


# --- The daily digest --------------------------------------------------------------------------


@dataclass
class Digest:
    """One person's daily e-mail: a supervisor's four lists and any notifications kept for the
    digest (preference "harian")."""

    user: Any
    plans_to_approve: int = 0
    entries_to_review: int = 0
    people_at_risk: int = 0
    objections_waiting: int = 0
    items: list[DigestItem] | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.plans_to_approve
            or self.entries_to_review
            or self.people_at_risk
            or self.objections_waiting
            or self.items
        )

    def lines(self) -> list[str]:
        out = []
        if self.plans_to_approve:
            out.append(
                f"- {self.plans_to_approve} SKP menunggu persetujuan Anda: "
                + absolute_url(reverse("performance:approval_inbox"))
            )
        if self.entries_to_review:
            out.append(
                f"- {self.entries_to_review} realisasi menunggu Anda periksa: "
                + absolute_url(reverse("performance:team_plans"))
            )
        if self.people_at_risk:
            out.append(
                f"- {self.people_at_risk} bawahan langsung belum mengisi realisasi bulan lalu: "
                + absolute_url(reverse("monitoring:team_board"))
            )
        if self.objections_waiting:
            out.append(
                f"- {self.objections_waiting} keberatan menunggu keputusan Anda: "
                + absolute_url(reverse("assessment:objection_inbox"))
            )
        for item in self.items or []:
            link = f" {absolute_url(item.url)}" if item.url.startswith("/") else ""
            out.append(f"- {item.message}{link}")
        return out

    def body(self) -> str:
        name = self.user.get_full_name()
        return (
            f"Yth. {name},\n\nRingkasan Kinerja hari ini:\n\n" + "\n".join(self.lines()) + footer()
        )


def digests_build(today: date | None = None) -> list[Digest]:
    """Every digest of the day, in a fixed number of queries whatever the regency's size."""
    today = today or timezone.localdate()
    by_employee: dict[int, dict[str, int]] = defaultdict(dict)

    def add(rows: Iterable[dict[str, Any]], field: str, name: str) -> None:
        for row in rows:
            if row[field] is not None:
                by_employee[row[field]][name] = row["n"]

    add(
        Plan.objects.filter(status=PlanStatus.SUBMITTED, employee__is_active=True)
        .values("assessor_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "assessor_id",
        "plans_to_approve",
    )
    add(
        Realisation.objects.filter(
            reviewed_at__isnull=True,
            is_automatic=False,
            indicator__rhk__plan__status=PlanStatus.APPROVED,
            indicator__rhk__plan__year=today.year,
        )
        .values("indicator__rhk__plan__assessor_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "indicator__rhk__plan__assessor_id",
        "entries_to_review",
    )
    due = months_due(today.year, today, settings.REALISATION_DEADLINE_DAY)
    if due:
        missing = Indicator.objects.filter(
            rhk__plan=OuterRef("pk"), source=IndicatorSource.MANUAL
        ).exclude(Exists(Realisation.objects.filter(indicator=OuterRef("pk"), month=due)))
        add(
            Plan.objects.filter(
                Exists(missing),
                year=today.year,
                status=PlanStatus.APPROVED,
                employee__is_active=True,
            )
            .values("employee__supervisor_id")
            .annotate(n=Count("employee_id", distinct=True))
            .order_by(),
            "employee__supervisor_id",
            "people_at_risk",
        )
    add(
        Objection.objects.filter(status__in=ObjectionStatus.open_values())
        .values("decider_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "decider_id",
        "objections_waiting",
    )
    items: dict[int, list[DigestItem]] = defaultdict(list)
    for item in DigestItem.objects.filter(sent_at__isnull=True).order_by("created_at", "pk"):
        items[item.user_id].append(item)
    users = User.objects.select_related("channel_preference", "employee").filter(
        Q(employee_id__in=list(by_employee)) | Q(pk__in=list(items)),
        is_active=True,
    )
    digests = []
    for user in users:
        counts = by_employee.get(user.employee_id, {}) if user.employee_id else {}
        if user.employee_id and not user.employee.is_active:
            continue
        digest = Digest(user=user, items=items.get(user.pk, []), **counts)
        if not digest.is_empty:
            digests.append(digest)
    digests.sort(key=lambda d: d.user.pk)
    return digests


def digests_send(today: date | None = None) -> int:
    """Build and send the day's digests by e-mail, over one SMTP connection, once per person
    and day (ReminderSent key "ringkasan:<date>:<user>"). Returns how many were sent."""
    today = today or timezone.localdate()
    digests = digests_build(today)
    keys = {d.user.pk: f"ringkasan:{today.isoformat()}:{d.user.pk}" for d in digests}
    already = set(
        ReminderSent.objects.filter(key__in=list(keys.values())).values_list("key", flat=True)
    )
    outgoing: list[tuple[Digest, Delivery]] = []
    for digest in digests:
        user = digest.user
        preference = preference_of(user)
        if keys[user.pk] in already or not user.email or preference.email_mode == EmailMode.OFF:
            continue
        if not wants(preference, NotificationKind.DIGEST) and not digest.items:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    key=keys[user.pk], user_id=user.pk, kind=NotificationKind.DIGEST
                )
                delivery = Delivery.objects.create(
                    channel=Channel.EMAIL,
                    user_id=user.pk,
                    kind=NotificationKind.DIGEST,
                    target=user.email,
                    subject=f"{SUBJECT_PREFIX}Ringkasan harian {_fmt(today)}",
                    payload={"body": digest.body()},
                )
        except IntegrityError:
            continue
        outgoing.append((digest, delivery))
    sent = 0
    now = timezone.now()
    with mail.get_connection() as connection:
        for _digest, delivery in outgoing:
            message = mail.EmailMessage(
                subject=delivery.subject,
                body=delivery.payload["body"],
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[delivery.target],
                connection=connection,
            )
            try:
                message.send()
            except Exception as exc:
                delivery.status, delivery.last_error = DeliveryStatus.FAILED, str(exc)[:500]
            else:
                delivery.status, delivery.delivered_at = DeliveryStatus.SENT, now
                sent += 1
            delivery.attempts = 1
    Delivery.objects.bulk_update(
        [d for _, d in outgoing], ["status", "last_error", "delivered_at", "attempts"], 1000
    )
    item_ids = [i.pk for d, _ in outgoing for i in d.items or []]
    DigestItem.objects.filter(pk__in=item_ids).update(sent_at=now)
    return sent
