"""On PostgreSQL the daily survey totals are added once per INSERT statement, not once per row
(issue 16, item 6).

The trigger of migration 0002 runs for each new questionnaire: two upserts, one SurveyDay row
and six SurveyProfileDay rows, each a new version of a row that every questionnaire of the
service and day updates. The kiosk API writes questionnaires in batches (kinerja.public.commits:
one `INSERT … VALUES (…), (…), …` for the questionnaires that arrive together), so here the
trigger runs once per statement over the statement's new rows (a transition table), grouped by
service and day: a batch of four questionnaires writes one SurveyDay version and six
SurveyProfileDay versions instead of four and twenty-four. Fewer versions also keep the upserts
cheap while a long transaction elsewhere stops PostgreSQL from pruning the old ones: each
upsert then walks every version still kept (docs/PERFORMANCE.md, "Kiosk submissions").

The totals stay exact for every writer, raw SQL and COPY included: each statement adds exactly
the rows it inserted. Rows are upserted in (service, day[, dimension, value]) order, so two
statements that touch the same totals lock them in the same order and cannot deadlock.

SQLite has no statement-level triggers and keeps the row trigger of migration 0002 (it has one
writer at a time anyway). The SQL is written out here so that this migration never changes;
the age bands are those of kinerja.public.choices.AGE_BANDS at the time of this migration.
"""

import importlib

from django.db import migrations

ANSWERS = [f"u{i}" for i in range(1, 10)]
AGE = (
    "CASE WHEN r.age IS NULL THEN '' WHEN r.age <= 19 THEN 'u20' WHEN r.age <= 29 THEN '20' "
    "WHEN r.age <= 39 THEN '30' WHEN r.age <= 49 THEN '40' WHEN r.age <= 59 THEN '50' "
    "ELSE '60' END"
)
PROFILE = [
    ("sex", "r.sex"),
    ("age", AGE),
    ("education", "r.education"),
    ("occupation", "r.occupation"),
    ("slot", "r.time_slot"),
    ("channel", "r.channel"),
]


def _statements() -> tuple[str, str]:
    """The trigger's two upserts over the statement's new rows (`new_rows`)."""
    totals = ["respondents", *(f"s{i}" for i in range(1, 10)), *(f"c{i}" for i in range(1, 10))]
    sums = ", ".join(f"COALESCE(SUM(r.{a}), 0)" for a in ANSWERS)
    counts = ", ".join(f"COUNT(r.{a})" for a in ANSWERS)
    day = (
        f"INSERT INTO public_surveyday AS d (service_id, day, {', '.join(totals)}) "
        f"SELECT r.service_id, r.survey_date, COUNT(*), {sums}, {counts} FROM new_rows r "
        "GROUP BY r.service_id, r.survey_date ORDER BY r.service_id, r.survey_date "
        "ON CONFLICT (service_id, day) DO UPDATE SET "
        + ", ".join(f"{t} = d.{t} + excluded.{t}" for t in totals)
    )
    values = ", ".join(f"('{name}', {expression})" for name, expression in PROFILE)
    profile = (
        "INSERT INTO public_surveyprofileday AS p (service_id, day, dimension, value, count) "
        "SELECT r.service_id, r.survey_date, v.dimension, v.value, COUNT(*) FROM new_rows r "
        f"CROSS JOIN LATERAL (VALUES {values}) AS v (dimension, value) "
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 "
        "ON CONFLICT (service_id, day, dimension, value) DO UPDATE SET count = p.count + "
        "excluded.count"
    )
    return day, profile


def _drop_postgresql(schema_editor) -> None:  # type: ignore[no-untyped-def]
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS public_surveyresponse_totals ON public_surveyresponse"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS public_surveyresponse_totals()")


def per_statement(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    day, profile = _statements()
    _drop_postgresql(schema_editor)
    schema_editor.execute(
        "CREATE FUNCTION public_surveyresponse_totals() RETURNS trigger AS $$ BEGIN "
        f"{day}; {profile}; RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    schema_editor.execute(
        "CREATE TRIGGER public_surveyresponse_totals AFTER INSERT ON public_surveyresponse "
        "REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION public_surveyresponse_totals()"
    )


def per_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to the row trigger of migration 0002."""
    if schema_editor.connection.vendor != "postgresql":
        return
    _drop_postgresql(schema_editor)
    importlib.import_module("kinerja.public.migrations.0002_daily_totals_trigger").create(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [("public", "0006_follow_up_period_codes")]

    operations = [migrations.RunPython(per_statement, per_row)]
