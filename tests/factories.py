"""Factories for the organisation. They build state through the real services, so every
object in a test went through the same validation, paths, history and audit as in production."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from kinerja.organisation import services
from kinerja.organisation.choices import EmploymentStatus, PositionKind, Role, UnitKind
from kinerja.organisation.models import Employee, Position, Unit, User

_sequence = itertools.count(1)


def make_nip(*, birth: str = "19860926", appointment: str = "201505", sex: str = "1") -> str:
    """A valid, unique NIP (DOMAIN §7): the sequence digits count up per test run."""
    n = next(_sequence)
    # Vary the appointment month as well as the sequence so thousands of NIPs stay unique.
    month = (int(appointment[4:]) - 1 + n // 999) % 12 + 1
    year = int(appointment[:4]) + n // (999 * 12)
    return f"{birth}{year:04d}{month:02d}{sex}{n % 999 + 1:03d}"


class ServiceFactory(factory.Factory):
    """Base: `_create` calls a service instead of Model.save()."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        return model_class(**kwargs)


class UnitFactory(ServiceFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"UNIT-{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = UnitKind.DINAS
    parent = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Unit:
        if kwargs.get("parent") is not None and kwargs.get("kind") == UnitKind.DINAS:
            kwargs["kind"] = UnitKind.BIDANG
        return services.unit_create(by=None, **kwargs)


class PositionFactory(ServiceFactory):
    class Meta:
        model = Position

    name = factory.Sequence(lambda n: f"Pengelola Layanan Operasional {n}")
    kind = PositionKind.PELAKSANA
    kelas = 6
    jenjang = ""

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Position:
        return services.position_create(by=None, **kwargs)


class EmployeeFactory(ServiceFactory):
    class Meta:
        model = Employee

    nip = factory.LazyFunction(make_nip)
    name = factory.Sequence(lambda n: f"Pegawai Contoh {n}")
    status = EmploymentStatus.PNS
    golongan = "III/a"
    position = factory.SubFactory(PositionFactory)
    unit = factory.SubFactory(UnitFactory)
    supervisor = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Employee:
        return services.employee_create(by=None, **kwargs)


def make_user(
    *,
    employee: Employee | None = None,
    username: str = "",
    role: str = Role.PEGAWAI,
    password: str = "rahasia-kuat-123",
    **extra: Any,
) -> User:
    """An account that can log in at once (no forced password change unless asked)."""
    user = User(
        username=username or (employee.nip if employee else "user"),
        employee=employee,
        role=role,
        must_change_password=extra.pop("must_change_password", False),
        **extra,
    )
    user.set_password(password)
    user.save()
    return user
