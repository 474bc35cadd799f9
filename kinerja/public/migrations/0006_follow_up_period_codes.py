"""Follow-up plans store their survey period in the system's one period code
(kinerja.rules.periods): the year "2026" becomes "2026-TH" and the month "2026-11" becomes
"2026-B11"; semesters ("2026-S1") and quarters ("2026-T4") were already written that way.
Reversible: the codes go back to the earlier keys."""

import re

from django.db import migrations

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_CODE_YEAR = re.compile(r"^(\d{4})-TH$")
_CODE_MONTH = re.compile(r"^(\d{4})-B(\d{2})$")


def _to_code(key):
    if _YEAR.match(key):
        return f"{key}-TH"
    month = _MONTH.match(key)
    if month:
        return f"{month[1]}-B{int(month[2]):02d}"
    return key


def _to_key(code):
    year = _CODE_YEAR.match(code)
    if year:
        return year[1]
    month = _CODE_MONTH.match(code)
    if month:
        return f"{month[1]}-{month[2]}"
    return code


def _convert(convert):
    def run(apps, schema_editor):
        FollowUpPlan = apps.get_model("public", "FollowUpPlan")
        for plan in FollowUpPlan.objects.only("pk", "period"):
            new = convert(plan.period)
            if new != plan.period:
                FollowUpPlan.objects.filter(pk=plan.pk).update(period=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("public", "0005_admin_labels")]

    operations = [migrations.RunPython(_convert(_to_code), _convert(_to_key), elidable=False)]
