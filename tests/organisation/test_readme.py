"""The README's demo logins describe the accounts `make run` prints (issue 10, item 14: the
README called the demo Pegawai a nurse; the printed account is a pharmacist)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerja.demo.organisation import build_demo, demo_logins

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.django_db
def test_the_readme_names_the_position_of_each_printed_demo_employee() -> None:
    build_demo(employees=1500, seed=2026)  # what `make run` seeds (DEMO_EMPLOYEES, --seed)
    rows = {
        line.split("|")[1].strip(): line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    }
    for login in demo_logins():
        if login.role in {"Pegawai", "Atasan langsung", "Kepala unit (OPD)"}:
            position = login.who.split(" — ", 1)[1]
            assert position in rows[login.role] or position.split()[0] in rows[login.role], (
                f"README row {login.role!r} does not name {position!r}"
            )
