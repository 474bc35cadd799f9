"""The rewards demo holds together: October's TPP locked and reproducible from its stored inputs,
November's calculated, recommendations in every state with their facts, the demo Pegawai's slip
explaining two late arrivals, a Sedang cut in the slip of the punished, Piagam on the wall."""

from __future__ import annotations

import time_machine
from django.test import Client
from django.urls import reverse

from kinerja.demo import assessment as assessment_demo
from kinerja.demo import performance as performance_demo
from kinerja.demo import rewards as demo
from kinerja.demo.organisation import build_demo, demo_logins
from kinerja.organisation.models import User
from kinerja.rewards import services
from kinerja.rewards.models import DisciplineRecord, Recognition, Recommendation, TppLine, TppMonth


def test_the_demo_tells_the_whole_story(db, default_rules) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-12-02 09:00 +07:00"):
        build_demo(employees=200, seed=2026)
        performance_demo.seed(seed=2026, options={})
        assessment_demo.seed(seed=2026, options={})
        summary = demo.seed(seed=2026, options={})
    assert "Tindak lanjut" in summary
    october, november = TppMonth.objects.get(month=10), TppMonth.objects.get(month=11)
    assert (october.status, november.status) == ("dikunci", "dihitung")
    for line in october.lines.all()[:50]:
        assert services.recompute_line(line).total == line.total
    assert november.lines.filter(kind="koreksi", corrects="2026-10").count() == 1
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"menunggu", "diterima", "ditolak"}
    assert all(r.facts for r in Recommendation.objects.all())
    cut = DisciplineRecord.objects.get(level="sedang")
    assert TppLine.objects.get(tpp_month=october, employee=cut.employee_id).cut_percent == 25
    assert TppLine.objects.filter(tpp_month=november, explanation__contains="terlambat").exists()
    staff = next((x for x in demo_logins() if x.role == "Pegawai"), None)
    if staff is not None:  # the demo Pegawai exists at this size: two late arrivals explained
        slip = TppLine.objects.get(tpp_month=november, employee__nip=staff.username)
        assert "potongan kehadiran 1,5% karena terlambat 2 kali" in slip.explanation
        client = Client()
        client.force_login(User.objects.get(username=staff.username))
        assert client.get(reverse("rewards:tpp_slip", args=[slip.pk])).status_code == 200
    assert (
        Recognition.objects.filter(wall_consent=True).exists() or not Recognition.objects.exists()
    )
