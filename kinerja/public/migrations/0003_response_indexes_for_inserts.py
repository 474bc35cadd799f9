"""Fewer indexes for the busiest insert (kiosk and web questionnaires).

The plain indexes of four foreign keys go: service and device are the first column of a
composite index already; officer and entered_by get partial indexes (WHERE … IS NOT NULL),
which a questionnaire without them never touches.

On SQLite, Django would apply AlterField(db_index=False) by rebuilding the table, and the
rebuild would drop the daily-totals trigger of migration 0002. So the state changes are
separated from the database: the database only drops the four indexes (the same names on
SQLite and PostgreSQL, as Django derives them from table, column and a hash).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FK_INDEXES = {
    "device_id": "public_surveyresponse_device_id_352bc2e7",
    "entered_by_id": "public_surveyresponse_entered_by_id_b8624a19",
    "officer_id": "public_surveyresponse_officer_id_60904b62",
    "service_id": "public_surveyresponse_service_id_5e4e136f",
}


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_path_prefix_indexes"),
        ("public", "0002_daily_totals_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="device",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="public.kioskdevice",
                    ),
                ),
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="entered_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="officer",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="organisation.employee",
                        verbose_name="petugas",
                    ),
                ),
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="public.service",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"' for name in FK_INDEXES.values()],
                    reverse_sql=[
                        f'CREATE INDEX "{name}" ON "public_surveyresponse" ("{column}")'
                        for column, name in FK_INDEXES.items()
                    ],
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(
                condition=models.Q(("officer__isnull", False)),
                fields=["officer"],
                name="skm_response_officer",
            ),
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(
                condition=models.Q(("entered_by__isnull", False)),
                fields=["entered_by"],
                name="skm_response_entered_by",
            ),
        ),
    ]
