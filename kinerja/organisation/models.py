"""The regency's organisation: units (OPD tree), positions, employees, their history, accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.rules.nip import InvalidNip, format_nip, parse_nip

from .choices import (
    ChangeReason,
    EmploymentStatus,
    Golongan,
    Jenjang,
    PositionKind,
    Role,
    Sector,
    UnitKind,
)


class Regency(models.Model):
    """The one regency (pemerintah kabupaten) this installation serves; a singleton (pk=1)."""

    name = models.CharField(
        _("nama pemerintah daerah"), max_length=200, default="Pemerintah Kabupaten Bukitintan"
    )
    short_name = models.CharField(_("nama singkat"), max_length=100, default="Kabupaten Bukitintan")
    address = models.TextField(
        _("alamat"), blank=True, default="Jl. Jenderal Sudirman No. 1, Bukitintan"
    )
    logo = models.ImageField(_("logo"), upload_to="regency/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="regency_singleton",
                violation_error_message=_("Hanya ada satu pemerintah daerah."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def get(cls) -> Regency:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Unit(models.Model):
    """A unit of the regency's organisation: an OPD or one of its parts (bidang, seksi, UPT...).

    `opd` points to the OPD at the top of the unit's tree (itself for an OPD) and `path` is the
    materialised path of ids ("/3/17/42/") so that a whole subtree is one indexed prefix query.
    Both are maintained by the services, never by hand.
    """

    code = models.CharField(_("kode unit"), max_length=30, unique=True)
    name = models.CharField(_("nama unit"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    sector = models.CharField(
        _("bidang urusan"), max_length=20, choices=Sector.choices, default=Sector.GENERAL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    opd = models.ForeignKey(
        "self",
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    serves_public = models.BooleanField(_("melayani publik langsung"), default=False)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="unit_not_own_parent",
                violation_error_message=_("Unit tidak boleh menjadi induk dirinya sendiri."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_opd(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        if self.kind in UnitKind.opd_kinds() and self.parent_id is not None:
            raise ValidationError({"parent": _("OPD tidak boleh memiliki unit induk.")})
        if self.kind not in UnitKind.opd_kinds() and self.parent_id is None:
            raise ValidationError({"parent": _("Unit selain OPD harus memiliki unit induk.")})


class Position(models.Model):
    """A position (jabatan) in the regency's catalogue, identified by its name."""

    name = models.CharField(_("nama jabatan"), max_length=200, unique=True)
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=PositionKind.choices)
    kelas = models.PositiveSmallIntegerField(_("kelas jabatan"))
    jenjang = models.CharField(
        _("jenjang fungsional"), max_length=20, choices=Jenjang.choices, blank=True
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kelas__gte=1, kelas__lte=17),
                name="position_kelas_1_17",
                violation_error_message=_("Kelas jabatan harus 1 sampai 17."),
            ),
            models.CheckConstraint(
                condition=Q(kind=PositionKind.FUNGSIONAL, jenjang__gt="")
                | (~Q(kind=PositionKind.FUNGSIONAL) & Q(jenjang="")),
                name="position_jenjang_iff_fungsional",
                violation_error_message=_(
                    "Jenjang wajib untuk jabatan fungsional dan hanya untuk jabatan fungsional."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == PositionKind.FUNGSIONAL and not self.jenjang:
            raise ValidationError({"jenjang": _("Jabatan fungsional wajib memiliki jenjang.")})
        if self.kind != PositionKind.FUNGSIONAL and self.jenjang:
            raise ValidationError({"jenjang": _("Hanya jabatan fungsional yang memiliki jenjang.")})


def validate_nip(value: str) -> None:
    try:
        parse_nip(value)
    except InvalidNip as exc:
        raise ValidationError(str(exc), code="invalid_nip") from exc


class Employee(models.Model):
    """A civil servant (ASN: PNS or PPPK) of the regency.

    `supervisor` is the direct supervisor (atasan langsung). `path` is the materialised chain of
    supervisor ids down to this employee ("/1/8/31/"), so a supervisor's whole reporting
    subtree is one prefix query; the services keep it true and refuse any loop.
    """

    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=50, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=80, blank=True)
    status = models.CharField(
        _("status kepegawaian"),
        max_length=4,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.PNS,
    )
    golongan = models.CharField(_("pangkat/golongan"), max_length=10, choices=Golongan.choices)
    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="employees"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
    )
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    path = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name", "nip"]
        indexes = [
            models.Index(fields=["unit", "name"], name="employee_unit_name"),
            # The directory lists by name: an index in that order stops after one page.
            models.Index(fields=["name", "nip"], name="employee_name_nip"),
            # A supervisor's team list (/skp/tim/) pages nearest first, then by name: in this
            # order the Sekda's first page of 10,000 is an index walk, not a sort (issue 16).
            models.Index(fields=["depth", "name", "id"], name="employee_depth_name"),
            # Counting a team's active members from the index alone (SQLite: the Sekda's 99,999
            # at 100,000 employees, 44 -> 12 ms; its path index alone reads every row for
            # `is_active`).
            models.Index(fields=["path", "is_active"], name="employee_path_active"),
            # PostgreSQL answers prefix LIKE (subtree) queries from a pattern-ops index; other
            # databases ignore opclasses (SQLite uses the plain path index, see access.under).
            models.Index(
                fields=["path"], name="employee_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("pk")),
                name="employee_not_own_supervisor",
                violation_error_message=_("Pegawai tidak boleh menjadi atasan dirinya sendiri."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def nip_formatted(self) -> str:
        return format_nip(self.nip)

    def clean(self) -> None:
        allowed = Golongan.for_status(self.status)
        if self.golongan and self.golongan not in allowed:
            raise ValidationError(
                {
                    "golongan": _("Golongan %(g)s tidak berlaku untuk status %(s)s.")
                    % {"g": self.golongan, "s": self.get_status_display()}
                }
            )


class EmployeeHistory(models.Model):
    """One period of an employee's position, unit and supervisor (riwayat jabatan / mutasi).

    The open record (valid_to is null) is the current one. Assessments later refer to the
    record that was valid in their period, so they keep the context they were made in.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="history")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    golongan = models.CharField(max_length=10, choices=Golongan.choices)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_to = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=20, choices=ChangeReason.choices, default=ChangeReason.INITIAL
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "organisation.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        ordering = ["employee", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(valid_to__isnull=True),
                name="employee_history_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.valid_from:%Y-%m-%d}"


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):  # type: ignore[no-untyped-def, override]
        # The person typed this password themself at the command line: no forced change.
        extra_fields.setdefault("must_change_password", False)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login account. ASN log in with their NIP; non-ASN administrators with a username.

    The role gives regency-wide or OPD-wide rights; supervisor rights come from the employee's
    reporting lines, never from a role.
    """

    username = models.CharField(_("NIP / nama pengguna"), max_length=150, unique=True)
    display_name = models.CharField(_("nama tampilan"), max_length=150, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    employee = models.OneToOneField(
        Employee,
        verbose_name=_("pegawai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PEGAWAI)
    managed_opd = models.ForeignKey(
        Unit,
        verbose_name=_("OPD yang dikelola"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Untuk Admin OPD."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=True)
    failed_logins = models.PositiveSmallIntegerField(_("gagal masuk berturut-turut"), default=0)
    locked_until = models.DateTimeField(_("terkunci sampai"), null=True, blank=True)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("akun")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.ADMIN_OPD) | Q(managed_opd__isnull=False),
                name="user_admin_opd_has_opd",
                violation_error_message=_("Admin OPD harus memiliki OPD yang dikelola."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        if self.employee_id:
            return self.employee.full_name
        return self.display_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now


class ApiToken(models.Model):
    """A personal access token for the API (`Authorization: Bearer <token>`): it acts with
    exactly its owner's rights under the access policy, narrowed by its scopes. Only a SHA-256
    of the token is stored; the token itself is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12)  # shown in lists, to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class UnitHeadcount(models.Model):
    """How many active employees a unit has, kept by the database (migration 0007): triggers on
    `organisation_employee` count every inserted, deleted, moved, activated or deactivated
    employee in the same statement, whatever wrote it. The directory of the whole regency (or
    of an OPD, or a unit's subtree) sums a few hundred of these instead of counting 100,000
    employees on every page (`selectors.active_headcount`)."""

    unit = models.OneToOneField(
        Unit,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # a unit with employees cannot be deleted (PROTECT)
        db_constraint=False,
        related_name="+",
    )
    active = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("jumlah pegawai aktif unit")
        verbose_name_plural = _("jumlah pegawai aktif unit")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.active}"
