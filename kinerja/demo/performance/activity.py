"""The year of the performance demo's plans: monthly realisations with their evidence (links
and a handful of small PDF files), feedback threads and dialog kinerja with agreed actions."""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.organisation.models import Employee
from kinerja.performance import services
from kinerja.performance.choices import ActionStatus, EvidenceKind, IndicatorSource
from kinerja.performance.models import (
    AgreedAction,
    Comment,
    Dialog,
    Evidence,
    Indicator,
    Realisation,
)
from kinerja.rules.calendar import MONTHS

from ..bulk import RowWriter
from .catalogue import AGREED_ACTIONS, DIALOG_NOTES, FEEDBACK, FOLLOW_UPS, LOWER, REPLIES, SUM
from .drafts import Entry, PlanDraft, _moment, _month_start

EVIDENCE_HOST = "https://arsip.bukitintan.go.id/bukti"


def tiny_pdf(lines: Sequence[str]) -> bytes:
    """A small, valid one-page PDF with a few lines of text (evidence samples; no dependency)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 13 Tf 56 780 Td 16 TL " + " ".join(f"({escape(t)}) '" for t in lines) + " ET"
    content = body.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


class Activity:
    """The part of PerformanceDemo (kinerja.demo.performance.plans) that fills the year of the
    plans it has written."""

    MODELS = (Realisation, Evidence, Comment, Dialog, AgreedAction)  # rows it writes with ids

    rng: random.Random
    writer: RowWriter
    today: date
    now: datetime
    year: int
    months_open: int
    counts: dict[str, int]
    other_files: int
    personas: dict[str, Employee]
    by_id: dict[int, Employee]

    def next_id(self, model: type[models.Model]) -> int:
        raise NotImplementedError

    REALISATION_FIELDS = (
        "id", "indicator", "month", "value", "narrative", "is_late", "is_automatic", "revision",
        "entered_by", "reviewed_at", "reviewed_by", "created_at", "updated_at",
    )  # fmt: skip

    def _realisations(self, drafts: list[PlanDraft]) -> None:
        """Months 1 to last month for everyone (a few with gaps), this month for some."""
        rng, write = self.rng, self.writer
        last_closed = self.months_open - 1  # the previous month: its deadline may have passed
        pegawai = self.personas.get("Pegawai")
        rows: list[tuple] = []
        links: list[Evidence] = []
        self.entries: list[tuple[PlanDraft, Entry]] = []
        # When people entered each month: around its end; late ones after the deadline (the 5th).
        entered = {}
        for m in range(1, self.months_open):
            ends = _month_start(self.year, m + 1)
            on_time = _moment(ends - timedelta(days=2), 10, self.now)
            late = _moment(ends + timedelta(days=11), 14, self.now)
            entered[m] = (write.datetime(on_time), write.datetime(late))
        this_month = write.datetime(_moment(self.today - timedelta(days=1), 9, self.now))
        entered[self.months_open] = (this_month, this_month)
        for draft in drafts:
            if draft.user_id is None:
                continue
            months = list(range(1, last_closed + 1))
            if draft.profile == "gaps" and months:
                months = months[: -rng.randint(1, min(3, len(months)))]
            persona = draft.employee == pegawai
            # Some enter the current month early, but only once most of it is behind them: on
            # 4 December nobody has a December figure yet (issue 10).
            if self.today.day >= 20 and rng.random() < 0.35 and not persona:
                months.append(self.months_open)
            reviewed_until = last_closed - 1 if rng.random() < 0.92 else last_closed - 2
            if rng.random() < 0.35:
                reviewed_until = last_closed
            if persona:  # everything reviewed but last month, which waits for the Atasan
                reviewed_until = last_closed - 1
            late_rate = 0.25 if draft.profile == "behind" else 0.06
            reviewer = draft.approver_id
            reviewed_at = {
                m: write.datetime(
                    _moment(
                        _month_start(self.year, m + 1) + timedelta(days=rng.randint(7, 14)),
                        rng.randint(8, 16),
                        self.now,
                    )
                )
                for m in months
                if m <= reviewed_until and reviewer is not None
            }
            for items in draft.indicators.values():
                for indicator in items:
                    if indicator.source != IndicatorSource.MANUAL:
                        continue  # filled by the system (kinerja.demo.public)
                    for month in months:
                        if rng.random() < 0.02 and month < last_closed - 1 and not persona:
                            continue  # the odd forgotten month
                        value = self._value(indicator, draft.factor)
                        late = month < self.months_open and rng.random() < late_rate
                        narrative = ""
                        if persona or rng.random() < 0.3:
                            narrative = self._narrative(indicator, value, month)
                        entry = Entry(self.next_id(Realisation), indicator, month, value)
                        when = entered[month][late]
                        checked = reviewed_at.get(month)
                        rows.append(
                            (
                                entry.id, indicator.id, month, value, narrative, late, False, 1,
                                draft.user_id, checked, reviewer if checked else None, when, when,
                            )
                        )  # fmt: skip
                        if persona or rng.random() < 0.02:
                            self.entries.append((draft, entry))
                        if rng.random() < 0.05 or (persona and month >= last_closed - 2):
                            links.append(self._link(draft, entry))
        write.insert(Realisation, self.REALISATION_FIELDS, rows)
        self.counts["realisations"] += len(rows)
        self._evidence_files(links)
        write.insert_objects(Evidence, links)
        self.counts["evidence"] += len(links)

    def _value(self, indicator: Indicator, factor: float) -> Decimal:
        rng = self.rng
        target = indicator.target
        lower = indicator.polarity == LOWER
        f = factor * rng.uniform(0.97, 1.03)
        if target == 0:  # "zero maternal deaths": almost always met
            return Decimal(1 if (factor < 0.86 and rng.random() < 0.15) else 0)
        if indicator.aggregation == SUM:
            share = float(target) / 12 * (2 - f if lower else f) * rng.uniform(0.85, 1.15)
            whole = int(share) + (1 if rng.random() < share - int(share) else 0)
            return Decimal(max(whole, 0))
        level = float(target) * ((2 - f) if lower else f) * rng.uniform(0.98, 1.02)
        if indicator.unit_of_measure == "persen":
            level = min(level, 100.0)
        places = Decimal("0.1") if level >= 10 else Decimal("0.01")
        return max(Decimal(str(level)).quantize(places, ROUND_HALF_UP), Decimal(0))

    def _narrative(self, indicator: Indicator, value: Decimal, month: int) -> str:
        shown = services.decimal_text(value).replace(".", ",")
        return (
            f"{indicator.name} bulan {MONTHS[month - 1]}: {shown} {indicator.unit_of_measure}. "
            + self.rng.choice(
                [
                    "Rekap terlampir.",
                    "Sesuai register kegiatan.",
                    "Data dari aplikasi layanan.",
                    "Dilaporkan dalam rapat bulanan.",
                ]
            )
        )

    def _link(self, draft: PlanDraft, entry: Entry) -> Evidence:
        slug = "-".join(entry.indicator.name.lower().split()[:4]).replace("/", "-")
        return Evidence(
            id=self.next_id(Evidence),
            realisation_id=entry.id,
            kind=EvidenceKind.LINK,
            url=f"{EVIDENCE_HOST}/{self.year}/{entry.month:02d}/{slug}-{entry.id}.pdf",
            uploaded_by_id=draft.user_id,
            uploaded_at=_moment(
                _month_start(self.year, entry.month + 1) - timedelta(days=1), 11, self.now
            ),
        )

    def _evidence_files(self, links: list[Evidence]) -> None:
        """A handful of real files (small PDFs) in the media storage, written through the
        FileField as an upload would be: the Pegawai's recent months and a few others."""
        pegawai = self.personas.get("Pegawai")
        chosen = [(d, r) for d, r in self.entries if d.employee == pegawai][-3:]
        others = [(d, r) for d, r in self.entries if d.employee != pegawai]
        extra = self.rng.sample(others, min(self.other_files, len(others)))
        self.other_files -= len(extra)  # three in all, whatever the number of batches
        chosen += extra
        for draft, entry in chosen:
            indicator = entry.indicator
            data = tiny_pdf(
                [
                    f"Rekap realisasi {MONTHS[entry.month - 1]} {self.year}",
                    draft.employee.full_name,
                    f"{indicator.name}: {services.decimal_text(entry.value)} "
                    f"{indicator.unit_of_measure}",
                    draft.employee.unit.name,
                ]
            )
            item = Evidence(
                id=self.next_id(Evidence),
                realisation_id=entry.id,
                kind=EvidenceKind.FILE,
                original_name=f"rekap-{MONTHS[entry.month - 1].lower()}-{self.year}.pdf",
                content_type="application/pdf",
                size=len(data),
                uploaded_by_id=draft.user_id,
                uploaded_at=_moment(
                    _month_start(self.year, entry.month + 1) - timedelta(days=1), 15, self.now
                ),
            )
            token = f"{self.rng.getrandbits(128):032x}"
            item.file.save(f"{token}.pdf", ContentFile(data), save=False)
            links.append(item)
        self.counts["evidence_files"] += len(chosen)

    # --- Feedback and dialogs -----------------------------------------------------------

    def _feedback(self, drafts: list[PlanDraft]) -> None:
        rng = self.rng
        comments: list[Comment] = []

        def add(plan_id: int, author: int, body: str, when: datetime, **target: int) -> None:
            comments.append(
                Comment(
                    id=self.next_id(Comment),
                    plan_id=plan_id,
                    author_id=author,
                    body=body,
                    created_at=when,
                    **target,
                )
            )

        pegawai = self.personas.get("Pegawai")
        boss = self.personas.get("Atasan langsung")
        threads = [(d, r) for d, r in self.entries if d.approver_id and d.employee != pegawai]
        wanted = max(30, min(400, len(drafts) // 5))
        for draft, entry in rng.sample(threads, min(wanted, len(threads))):
            when = _moment(
                _month_start(self.year, entry.month + 1) + timedelta(days=rng.randint(6, 12)),
                rng.randint(8, 16),
                self.now,
            )
            kind = "behind" if draft.profile == "behind" else draft.profile
            kind = kind if kind in FEEDBACK else "on_track"
            on = functools.partial(add, draft.plan.id, realisation_id=entry.id)
            on(draft.approver_id, rng.choice(FEEDBACK[kind]), when)
            if rng.random() < 0.65:
                when += timedelta(hours=rng.randint(1, 30))
                on(draft.user_id, rng.choice(REPLIES[kind]), when)
                if rng.random() < 0.3:
                    body = rng.choice(FOLLOW_UPS)
                    on(draft.approver_id, body, when + timedelta(hours=rng.randint(1, 20)))
        for draft in rng.sample(drafts, min(len(drafts) // 30, 60)):
            if draft.approver_id and draft.rhks and draft.user_id:
                add(
                    draft.plan.id,
                    draft.approver_id,
                    "RHK ini selaras dengan RHK saya. Pastikan indikatornya terukur tiap bulan.",
                    _moment(date(self.year, 1, 28), 10, self.now),
                    rhk_id=draft.rhks[0].id,
                )
        # The Pegawai: an answered thread two months ago, and a fresh question on last month.
        mine = [(d, r) for d, r in self.entries if d.employee == pegawai]
        last = max((r.month for _d, r in mine), default=0)
        if pegawai is not None and boss is not None and mine:
            draft = mine[0][0]
            older = [r for _d, r in mine if r.month == last - 2][:1]
            for entry in older:
                when = _moment(
                    _month_start(self.year, entry.month + 1) + timedelta(days=8), 9, self.now
                )
                on = functools.partial(add, draft.plan.id, realisation_id=entry.id)
                on(
                    draft.approver_id,
                    "Terima kasih, capaian sudah sesuai. Mohon rekap register dilampirkan.",
                    when,
                )
                on(
                    draft.user_id,
                    "Baik, rekap register sudah saya unggah.",
                    when + timedelta(hours=5),
                )
            recent = [r for _d, r in mine if r.month == last][:1]
            for entry in recent:
                body = (
                    "Angka bulan ini naik dibanding bulan lalu. Apakah sudah termasuk pasien "
                    "posyandu lansia? Mohon dijelaskan di uraian sebelum saya periksa."
                )
                when = self.now - timedelta(hours=20)
                add(draft.plan.id, draft.approver_id, body, when, realisation_id=entry.id)
                Notification.objects.create(
                    recipient_id=draft.user_id,
                    message=f"Umpan balik dari {boss.full_name}: {body}"[:300],
                    url=reverse("performance:plan_detail", args=[draft.plan.id]) + "#umpan-balik",
                    created_at=when,
                )
        self.writer.insert_objects(Comment, comments)
        self.counts["comments"] += len(comments)

    def _dialogs(self, drafts: list[PlanDraft]) -> None:
        rng = self.rng
        behind = [d for d in drafts if d.profile == "behind" and d.approver_id and d.user_id]
        others = [d for d in drafts if d.profile != "behind" and d.approver_id and d.user_id]
        pegawai = self.personas.get("Pegawai")
        chosen = rng.sample(behind, min(len(behind), max(6, len(drafts) // 60)))
        chosen += rng.sample(others, min(len(others), max(4, len(drafts) // 150)))
        chosen += [d for d in drafts if d.employee == pegawai and d.approver_id and d.user_id]
        dialogs: list[Dialog] = []
        actions: list[AgreedAction] = []
        for draft in chosen:
            boss = self.by_id.get(draft.employee.supervisor_id)
            held = self.today - timedelta(days=rng.randint(10, 80))
            if held.year != self.year:
                held = self.today
            dialog = Dialog(
                id=self.next_id(Dialog),
                plan_id=draft.plan.id,
                held_on=held,
                participants=f"{draft.employee.full_name}; {boss.full_name if boss else '-'}",
                notes=rng.choice(DIALOG_NOTES),
                created_by_id=draft.approver_id,
            )
            dialogs.append(dialog)
            for description in rng.sample(AGREED_ACTIONS, rng.randint(1, 2)):
                due = held + timedelta(days=rng.choice([14, 21, 30, 45]))
                status = ActionStatus.OPEN
                follow_up = ""
                if due < self.today and rng.random() < 0.6:
                    status, follow_up = ActionStatus.DONE, "Sudah dilaksanakan; laporan terlampir."
                actions.append(
                    AgreedAction(
                        id=self.next_id(AgreedAction),
                        dialog_id=dialog.id,
                        description=description,
                        due_date=due,
                        status=status,
                        follow_up=follow_up,
                    )
                )
        self.writer.insert_objects(Dialog, dialogs)
        self.writer.insert_objects(AgreedAction, actions)
        self.counts["dialogs"] += len(dialogs)
        self.counts["agreed_actions"] += len(actions)
