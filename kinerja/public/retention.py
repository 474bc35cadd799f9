"""How long citizens' personal data is kept (UU 27/2022 Pasal 16 ayat 2 huruf f: personal data
is kept only as long as its purpose needs; docs/PRIVACY.md), and the purge that enforces it.

What goes, after how long (settings, in days):

- PUBLIC_IP_RETENTION_DAYS (30): the salted IP and browser hashes of survey answers, complaints
  and forum reports (they only serve the rate limits and duplicate checks of the first days);
- PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS (365): the name, e-mail and telephone of a complainant,
  counted from the day the complaint was closed (selesai, ditolak) or removed as spam;
- PUBLIC_FORUM_RETENTION_DAYS (730): a forum participant's e-mail and nickname, counted from
  their last post (or sign-up): the account is erased as on the participant's own request,
  published posts stay under a neutral name;
- PUBLIC_FORUM_UNCONFIRMED_DAYS (30): a sign-up never confirmed, with nothing posted, is deleted.

What stays: every survey answer and the daily aggregates the IKM is computed from, the
complaints themselves (text, unit, dates, status: the response-time figures), the posts. The
IKM and complaint figures are the same before and after a purge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record

from .choices import ComplaintStatus
from .forum import services as forum_services
from .models import Complaint, ForumParticipant, ForumReport, SurveyResponse


@dataclass
class PurgeResult:
    hashes: int = 0
    complaint_contacts: int = 0
    forum_participants: int = 0
    unconfirmed_signups: int = 0
    dry_run: bool = False
    cutoffs: dict[str, datetime] = field(default_factory=dict)

    def summary(self) -> str:
        prefix = "(uji coba, tidak ada yang diubah) " if self.dry_run else ""
        return (
            f"{prefix}{self.hashes} hash IP/peramban dihapus; "
            f"{self.complaint_contacts} kontak pengadu dikosongkan; "
            f"{self.forum_participants} akun forum tidak aktif dianonimkan; "
            f"{self.unconfirmed_signups} pendaftaran forum tak dikonfirmasi dihapus"
        )


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its changes back."""


@transaction.atomic
def hashes_purge(*, now: datetime | None = None) -> int:
    """Erase the IP and browser hashes older than PUBLIC_IP_RETENTION_DAYS. Returns the number of
    rows cleared."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PUBLIC_IP_RETENTION_DAYS)
    cleared = (
        SurveyResponse.objects.filter(submitted_at__lt=cutoff)
        .exclude(ip_hash="", browser_hash="")
        .update(ip_hash="", browser_hash="")
    )
    cleared += (
        Complaint.objects.filter(received_at__lt=cutoff).exclude(ip_hash="").update(ip_hash="")
    )
    cleared += (
        ForumReport.objects.filter(created_at__lt=cutoff)
        .exclude(reporter_hash="")
        .update(reporter_hash="")
    )
    return cleared


def complaints_with_expired_contact(now: datetime) -> Q:
    cutoff = now - timedelta(days=settings.PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS)
    closed = Q(status__in=ComplaintStatus.final(), closed_at__lt=cutoff)
    return (closed | Q(removed_at__lt=cutoff)) & ~Q(
        contact_name="", contact_email="", contact_phone=""
    )


def personal_data_purge(*, now: datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Blank or delete the citizens' personal data past its retention (see the module). With
    `dry_run`, everything is done in a transaction that is rolled back: the counts are exact
    and nothing changes."""
    now = now or timezone.now()
    result = PurgeResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _purge(now, result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _purge(now: datetime, result: PurgeResult) -> None:
    result.hashes = hashes_purge(now=now)

    expired = Complaint.objects.filter(complaints_with_expired_contact(now))
    result.complaint_contacts = expired.update(contact_name="", contact_email="", contact_phone="")

    forum_cutoff = now - timedelta(days=settings.PUBLIC_FORUM_RETENTION_DAYS)
    inactive = (
        ForumParticipant.objects.filter(erased_at__isnull=True, confirmed_at__isnull=False)
        .annotate(
            last_seen=Greatest(
                "created_at", "confirmed_at", Coalesce(Max("posts__created_at"), "created_at")
            )
        )
        .filter(last_seen__lt=forum_cutoff)
    )
    for participant in inactive:
        forum_services.participant_erase(
            participant=participant,
            note=(
                f"Akun forum dianonimkan: tidak aktif lebih dari "
                f"{settings.PUBLIC_FORUM_RETENTION_DAYS} hari (retensi data pribadi)."
            ),
        )
        result.forum_participants += 1

    signup_cutoff = now - timedelta(days=settings.PUBLIC_FORUM_UNCONFIRMED_DAYS)
    unconfirmed = ForumParticipant.objects.filter(
        confirmed_at__isnull=True,
        erased_at__isnull=True,
        created_at__lt=signup_cutoff,
        posts__isnull=True,
        topics__isnull=True,
    )
    result.unconfirmed_signups, _ = unconfirmed.delete()

    if result.complaint_contacts or result.unconfirmed_signups:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="public.personal_data",
            object_repr="Data pribadi warga (retensi)",
            changes={
                "complaint_contacts": result.complaint_contacts,
                "unconfirmed_signups": result.unconfirmed_signups,
            },
            note="Pembersihan data pribadi warga yang melewati masa simpan (UU 27/2022).",
            record_ip=False,
        )
