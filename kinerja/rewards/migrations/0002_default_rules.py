"""Bukitintan's default follow-up rules (kinerja.rewards.defaults)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kinerja.rewards.defaults import DEFAULT_RULES

    rule_model = apps.get_model("rewards", "FollowUpRule")
    for data in DEFAULT_RULES:
        values = dict(data)
        code = values.pop("code")
        rule_model.objects.get_or_create(code=code, defaults=values)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kinerja.rewards.defaults import DEFAULT_RULES

    apps.get_model("rewards", "FollowUpRule").objects.filter(
        code__in=[r["code"] for r in DEFAULT_RULES], recommendations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
