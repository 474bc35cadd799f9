"""The demo stages moved from each app's own demo module into the kinerja.demo package: a seed
interrupted before the move continues after it (its recorded stages keep counting as done)."""

from django.db import migrations

MOVED = {
    f"kinerja.{app}.demo": f"kinerja.demo.{app}"
    for app in (
        "performance",
        "assessment",
        "public",
        "competency",
        "rewards",
        "adoption",
        "monitoring",
    )
}


def rename(apps, schema_editor, names=MOVED):
    stage = apps.get_model("demo", "DemoStage")
    for old, new in names.items():
        stage.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, names={new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [("demo", "0001_demo_stage")]

    operations = [migrations.RunPython(rename, rename_back)]
