from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

from tests.factories import make_user


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_the_database_does_not() -> None:
    with mock.patch("kinerja.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.mark.django_db
@pytest.mark.parametrize("must_change_password", [False, True])
def test_it_reads_no_session_or_account_of_a_signed_in_browser(
    django_assert_num_queries, must_change_password: bool
) -> None:
    """/healthz from a browser with a session costs what a probe without one does: one
    `SELECT 1`; the session and the account are not loaded (issue 16: the load test asks
    /healthz on its signed-in connections), and a pending password change does not redirect it."""
    client = Client()
    client.force_login(make_user(username="sehat", must_change_password=must_change_password))
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    if must_change_password:  # every other page still leads to the change-password form
        assert client.get("/skp/").status_code == 302


# --- /readyz: each check named, bounded, and honest (issue 15, item 10) --------------------


@pytest.mark.django_db
def test_readyz_answers_ok_with_every_check_named() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "migrations", "media", "tasks"}
    assert body["checks"]["database"]["detail"] == "menerima tulisan"


@pytest.mark.django_db
def test_readyz_fails_when_migrations_are_pending() -> None:
    """A missing SQLite file is recreated empty by the driver: SELECT 1 passes, the pages do
    not. The migrations check is what tells."""
    with mock.patch(
        "kinerja.core.readiness.MigrationExecutor.migration_plan",
        return_value=[(mock.Mock(app_label="organisation", name="0001_initial"), False)],
    ):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert "1 migrasi belum diterapkan" in response.json()["checks"]["migrations"]["detail"]


@pytest.mark.django_db
def test_readyz_fails_when_the_disk_is_nearly_full(settings) -> None:  # type: ignore[no-untyped-def]
    settings.READY_MIN_FREE_MB = 10**12
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["media"]
    assert "di bawah batas" in response.json()["checks"]["media"]["detail"]


@pytest.mark.django_db
def test_readyz_reports_a_database_that_does_not_answer_and_skips_what_needs_it() -> None:
    with mock.patch(
        "kinerja.core.readiness.connection.cursor", side_effect=OperationalError("timeout")
    ):
        response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["database"]["ok"] and "timeout" in checks["database"]["detail"]
    assert checks["migrations"]["detail"].startswith("dilewati")


@pytest.mark.django_db
def test_readyz_fails_when_the_queue_stops_moving(settings, time_machine) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    time_machine.move_to("2026-10-20 08:00 +07:00")
    DBTaskResult.objects.create(
        task_path="kinerja.monitoring.tasks.prune_changes",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),  # "as soon as possible"
    )
    time_machine.move_to("2026-10-20 09:00 +07:00")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["tasks"]
    assert "menunggu 3600 detik" in response.json()["checks"]["tasks"]["detail"]
