"""The daily survey totals (SurveyDay, SurveyProfileDay) are kept by the database itself: an
AFTER INSERT trigger on SurveyResponse adds every new questionnaire to its service's day, in the
same statement as the insert. Every path that stores questionnaires (the survey page, the kiosk
API, paper entry and import, bulk loads, raw SQL) therefore keeps them exact, and a submission
holds SQLite's write lock for one statement only. Questionnaires are never updated or deleted by
the application; `manage.py skm_rebuild_aggregates` recomputes the totals from scratch.

The SQL is written out here (not imported from the app) so that this migration never changes.
"""

from django.db import migrations

ANSWERS = [f"u{i}" for i in range(1, 10)]
# Age bands of kinerja.public.choices.AGE_BANDS at the time of this migration.
AGE = (
    "CASE WHEN NEW.age IS NULL THEN '' WHEN NEW.age <= 19 THEN 'u20' WHEN NEW.age <= 29 THEN '20' "
    "WHEN NEW.age <= 39 THEN '30' WHEN NEW.age <= 49 THEN '40' WHEN NEW.age <= 59 THEN '50' "
    "ELSE '60' END"
)
PROFILE = [
    ("sex", "NEW.sex"),
    ("age", AGE),
    ("education", "NEW.education"),
    ("occupation", "NEW.occupation"),
    ("slot", "NEW.time_slot"),
    ("channel", "NEW.channel"),
]


def _statements(day_table: str, profile_table: str, as_int: str) -> tuple[str, str]:
    """The trigger's two upserts. `day_table`/`profile_table` name the target rows in DO UPDATE
    (the table on SQLite, an alias on PostgreSQL); `as_int` turns a boolean into 0/1."""
    totals = ["respondents", *(f"s{i}" for i in range(1, 10)), *(f"c{i}" for i in range(1, 10))]
    sums = ", ".join(f"COALESCE(NEW.{a}, 0)" for a in ANSWERS)
    counts = ", ".join(as_int.format(f"NEW.{a} IS NOT NULL") for a in ANSWERS)
    alias = "" if day_table == "public_surveyday" else f"AS {day_table} "
    day = (
        f"INSERT INTO public_surveyday {alias}(service_id, day, {', '.join(totals)}) "
        f"VALUES (NEW.service_id, NEW.survey_date, 1, {sums}, {counts}) "
        "ON CONFLICT (service_id, day) DO UPDATE SET "
        + ", ".join(f"{t} = {day_table}.{t} + excluded.{t}" for t in totals)
    )
    values = ", ".join(
        f"(NEW.service_id, NEW.survey_date, '{name}', {expression}, 1)"
        for name, expression in PROFILE
    )
    alias = "" if profile_table == "public_surveyprofileday" else f"AS {profile_table} "
    profile = (
        f"INSERT INTO public_surveyprofileday {alias}(service_id, day, dimension, value, count) "
        f"VALUES {values} ON CONFLICT (service_id, day, dimension, value) "
        f"DO UPDATE SET count = {profile_table}.count + 1"
    )
    return day, profile


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        day, profile = _statements("public_surveyday", "public_surveyprofileday", "({})")
        schema_editor.execute(
            "CREATE TRIGGER public_surveyresponse_totals AFTER INSERT ON public_surveyresponse "
            f"BEGIN {day}; {profile}; END"
        )
    elif vendor == "postgresql":
        day, profile = _statements("d", "p", "({})::int")
        schema_editor.execute(
            "CREATE FUNCTION public_surveyresponse_totals() RETURNS trigger AS $$ BEGIN "
            f"{day}; {profile}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            "CREATE TRIGGER public_surveyresponse_totals AFTER INSERT ON public_surveyresponse "
            "FOR EACH ROW EXECUTE FUNCTION public_surveyresponse_totals()"
        )
    else:  # pragma: no cover - the project supports SQLite and PostgreSQL
        raise NotImplementedError(f"No survey-totals trigger for {vendor}.")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS public_surveyresponse_totals ON public_surveyresponse"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS public_surveyresponse_totals()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS public_surveyresponse_totals")


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
