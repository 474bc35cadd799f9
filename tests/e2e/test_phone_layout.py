"""On a phone, tables turn into cards with each column's name beside its value; a name on two
lines ("Target tahunan") ran into the next one ("Realisasi") (issue 10, item 14)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kinerja.organisation.choices import Role
from kinerja.performance import services
from tests.conftest import PASSWORD, Org
from tests.factories import make_user
from tests.performance.conftest import approved_plan

from .support import PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each labelled cell: does the cell hold its label (the label's lines, from its own font,
# width and offset), or does the label spill over the next cell?
LABELS_FIT = """() => [...document.querySelectorAll('table.responsive td[data-label]')]
  .filter(td => td.offsetParent !== null)
  .map(td => {
    const label = getComputedStyle(td, '::before');
    const probe = document.createElement('div');
    for (const p of ['width', 'fontSize', 'lineHeight', 'fontWeight', 'fontFamily']) {
      probe.style[p] = label[p];
    }
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    probe.textContent = td.dataset.label;
    document.body.appendChild(probe);
    const height = probe.getBoundingClientRect().height;
    probe.remove();
    const top = label.position === 'absolute'
      ? parseFloat(label.top)
      : parseFloat(getComputedStyle(td).paddingTop) + parseFloat(label.marginTop);
    const cell = td.getBoundingClientRect().height;
    return {label: td.dataset.label, fits: cell + 0.5 >= top + height};
  })"""


def test_the_realisation_grid_keeps_each_label_in_its_own_cell_on_a_phone(
    new_page, live_server, org: Org, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-11-28 08:30 +07:00")
    goal = services.goal_save(
        by=org.users["bkpsdm"],
        opd=org.dinkes,
        year=2026,
        number=1,
        sasaran="Meningkatnya derajat kesehatan masyarakat",
        indicator="Angka kematian ibu",
        unit_of_measure="per 100.000 KH",
        target=Decimal(90),
        polarity="lower_is_better",
    )
    org.users["regent"] = make_user(username="bupati", role=Role.PIMPINAN)
    _p, head_rhk = approved_plan(org, "unit_head", goal=goal, approver="regent")
    _p, pkm_rhk = approved_plan(org, "supervisor", parent=head_rhk, approver="unit_head")
    plan, _rhk = approved_plan(org, "employee", parent=pkm_rhk, approver="supervisor")
    page = new_page(**PHONE)
    page.add_init_script("Object.defineProperty(window, 'EventSource', {value: undefined})")
    login(page, live_server, org.employee.nip, PASSWORD)
    page.goto(f"{live_server.url}/skp/{plan.pk}/realisasi/11/")
    expect(page.locator("td[data-label='Target tahunan']").first).to_be_visible()
    cells = page.evaluate(LABELS_FIT)
    assert {"Target tahunan", "Realisasi"} <= {c["label"] for c in cells}
    assert [c["label"] for c in cells if not c["fits"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
