"""Follow-up rules (tindak lanjut): conditions over an employee's facts, kept by BKPSDM as data.

A rule's condition (DOMAIN §1 sanctions for missed targets, PP 30/2019 Pasal 56–58; §5 discipline,
PP 94/2021; §4 JP; §9 recognition) is evaluated here, purely, over :class:`Facts` gathered by the
rewards app. The result says whether the rule triggers, with the facts in plain Indonesian, or that
it could not be evaluated (a figure it needs is unknown, e.g. JP compliance when the competency
app is not installed) — never guessing a missing figure as zero.

Condition kinds (``Condition.kind``):

- ``predikat_terakhir``: the latest finalised periodic predikat is one of ``predikat``;
- ``predikat_berturut``: the last ``periods`` finalised periodic predikat are all in ``predikat``;
- ``predikat_tahunan``: the annual predikat is one of ``predikat``;
- ``ketidakhadiran``: the year's unexcused absence reaches a punishment of PP 94/2021
  (:func:`kinerja.rules.discipline.absence_punishment`);
- ``kekurangan_jp``: the year's JP shortfall is above zero (PP 11/2017: 20 JP a year);
- ``pembinaan_gagal``: at least ``count`` coaching plans ended without improvement (PP 30/2019
  Pasal 56–58: then reassignment).

Optional filters on every kind: ``no_punishment`` (no disciplinary punishment in force or decided
in the year), ``jp_compliant`` (no JP shortfall), ``min_ikm`` (the unit's IKM at least this).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.rules.discipline import absence_punishment
from kinerja.rules.enums import Predikat

__all__ = ["CONDITION_KINDS", "Condition", "Facts", "Outcome", "evaluate"]

CONDITION_KINDS = (
    "predikat_terakhir",
    "predikat_berturut",
    "predikat_tahunan",
    "ketidakhadiran",
    "kekurangan_jp",
    "pembinaan_gagal",
)


@dataclass(frozen=True)
class Condition:
    """A rule's condition as data (see the module docstring for the kinds)."""

    kind: str
    predikat: frozenset[Predikat] = frozenset()
    periods: int = 1
    count: int = 1
    no_punishment: bool = False
    jp_compliant: bool = False
    min_ikm: Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind not in CONDITION_KINDS:
            raise ValueError(f"Jenis kondisi aturan tidak dikenal: {self.kind!r}.")
        if self.kind.startswith("predikat") and not self.predikat:
            raise ValueError("Kondisi predikat harus menyebut sedikitnya satu predikat.")
        for name, value in (("Jumlah periode", self.periods), ("Jumlah", self.count)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} harus bilangan bulat ≥ 1 (tertulis {value!r}).")


@dataclass(frozen=True)
class Facts:
    """What is known of one employee for one year.

    ``periodic``: (period code, period label, predikat) of the finalised periodic results, oldest
    first; ``annual``: (code, label, predikat) of the finalised annual result or ``None``;
    ``jp_shortfall``/``ikm``: ``None`` when unknown.
    """

    year: int
    periodic: Sequence[tuple[str, str, Predikat]] = ()
    annual: tuple[str, str, Predikat] | None = None
    unexcused_days: int = 0
    longest_unexcused_run: int = 0
    punished: bool = False
    jp_shortfall: Decimal | None = None
    ikm: Decimal | None = None
    failed_coaching: int = 0
    punishment_labels: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    """``triggered`` True/False, or None when the rule could not be evaluated (``facts`` then
    says which figure is unknown). ``scope`` makes the recommendation's idempotent key: the same
    rule over the same facts' scope never recommends twice."""

    triggered: bool | None
    facts: tuple[str, ...] = ()
    scope: str = ""
    punishment_kind: str = ""


def _main(condition: Condition, facts: Facts) -> Outcome:
    kind = condition.kind
    if kind == "predikat_terakhir":
        if not facts.periodic:
            return Outcome(False)
        code, label, predikat = facts.periodic[-1]
        return Outcome(
            predikat in condition.predikat,
            (f"Predikat periode {label}: {predikat.label}.",),
            code,
        )
    if kind == "predikat_berturut":
        last = list(facts.periodic[-condition.periods :])
        if len(last) < condition.periods:
            return Outcome(False)
        hit = all(p in condition.predikat for _c, _l, p in last)
        lines = tuple(f"Predikat periode {label}: {p.label}." for _c, label, p in last)
        return Outcome(hit, lines, last[-1][0])
    if kind == "predikat_tahunan":
        if facts.annual is None:
            return Outcome(False)
        code, label, predikat = facts.annual
        return Outcome(
            predikat in condition.predikat, (f"Predikat tahunan {label}: {predikat.label}.",), code
        )
    if kind == "ketidakhadiran":
        punishment = absence_punishment(facts.unexcused_days, facts.longest_unexcused_run)
        if punishment is None:
            return Outcome(False)
        return Outcome(
            True,
            (
                f"Tidak masuk kerja tanpa keterangan {facts.unexcused_days} hari kerja pada tahun "
                f"{facts.year} (terpanjang {facts.longest_unexcused_run} hari berturut-turut"
                + (
                    ", sejak akhir tahun sebelumnya"
                    if facts.longest_unexcused_run > facts.unexcused_days
                    else ""
                )
                + ").",
                f"Hukuman yang direkomendasikan PP 94/2021: {punishment.label}.",
            ),
            f"{facts.year}:{punishment.kind}",
            punishment.kind,
        )
    if kind == "kekurangan_jp":
        if facts.jp_shortfall is None:
            return Outcome(None, ("Data JP pengembangan kompetensi belum tersedia.",))
        return Outcome(
            facts.jp_shortfall > 0,
            (f"Kekurangan JP tahun {facts.year}: {facts.jp_shortfall} JP.",),
            str(facts.year),
        )
    # pembinaan_gagal
    return Outcome(
        facts.failed_coaching >= condition.count,
        (f"Pembinaan 6 bulan tidak berhasil sebanyak {facts.failed_coaching} kali.",),
        f"{facts.year}:{facts.failed_coaching}",
    )


def evaluate(condition: Condition, facts: Facts) -> Outcome:
    """Evaluate ``condition`` over ``facts`` (module docstring). The filters are checked only
    when the main condition holds; a filter whose figure is unknown makes the rule not
    evaluated (``triggered=None``) rather than guessed."""
    outcome = _main(condition, facts)
    if not outcome.triggered:
        return outcome
    lines = list(outcome.facts)
    if condition.no_punishment:
        if facts.punished:
            return Outcome(False, (*lines, "Pernah dijatuhi hukuman disiplin tahun ini."))
        lines.append("Tidak ada hukuman disiplin.")
    if condition.jp_compliant:
        if facts.jp_shortfall is None:
            return Outcome(None, (*lines, "Data JP pengembangan kompetensi belum tersedia."))
        if facts.jp_shortfall > 0:
            return Outcome(False, (*lines, f"Kekurangan JP: {facts.jp_shortfall} JP."))
        lines.append("Memenuhi kewajiban JP pengembangan kompetensi.")
    if condition.min_ikm is not None:
        if facts.ikm is None:
            return Outcome(None, (*lines, "IKM unit belum tersedia."))
        if facts.ikm < condition.min_ikm:
            return Outcome(False, (*lines, f"IKM unit {facts.ikm} di bawah {condition.min_ikm}."))
        lines.append(f"IKM unit {facts.ikm} (minimal {condition.min_ikm}).")
    return Outcome(True, tuple(lines), outcome.scope, outcome.punishment_kind)
