"""The Django admin speaks Indonesian (issue 10, item 14): it showed "TASKS DATABASE BACKEND /
Task Results", English column names, and Django's odd "RUBAH ATAU TAMPILKAN TAUTAN KUNJUNGAN"."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.test import Client, RequestFactory

from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Field names that are Indonesian words already (their automatic label is right).
INDONESIAN_NAMES = {"status", "logo", "target", "konsekuensi", "id"}


@pytest.fixture
def superuser():  # type: ignore[no-untyped-def]
    return make_user(username="superadmin", is_staff=True, is_superuser=True)


def test_the_admin_index_names_every_app_and_model_in_indonesian(superuser) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Tugas latar belakang" in html and "Hasil tugas latar belakang" in html
    assert "Tautan ubah atau lihat daftar" in html and "Tautan tambah" in html
    for english in ("Tasks Database Backend", "Task Results", "Rubah", "Change or view"):
        assert english not in html, english


def test_the_background_tasks_list_speaks_indonesian(superuser) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="kinerja.monitoring.tasks.refresh_unit_figures",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
    )
    client = Client()
    client.force_login(superuser)
    html = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    for label in ("Nama tugas", "Masuk antrean", "Prioritas", "Menunggu", "Berhasil", "Gagal"):
        assert label in html, label
    for english in ("Task name", "Enqueued at", "Priority", "Successful", "Queue name"):
        assert english not in html, english


def test_no_admin_page_labels_a_field_with_its_english_code_name(superuser) -> None:  # type: ignore[no-untyped-def]
    """A field without a verbose name shows its code name ("Locked until", "Reviewed by")."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    unnamed = []
    for model, model_admin in admin.site._registry.items():
        shown = [*model_admin.get_fields(request), *model_admin.get_list_display(request)]
        shown += [f for f in model_admin.list_filter if isinstance(f, str)]
        for name in dict.fromkeys(n for n in shown if isinstance(n, str)):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if getattr(field, "_verbose_name", "") is None and name not in INDONESIAN_NAMES:
                unnamed.append(f"{model._meta.label}.{name}")
    assert unnamed == []
