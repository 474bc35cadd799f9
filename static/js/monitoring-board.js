// The team board: when the live stream (monitoring-live.js) or a quick feedback names people,
// re-fetch their rows in place with htmx. A row whose feedback form is open waits until the
// form is closed, so that typing is never lost. A large board's rows (data-team-row: a direct
// report with their whole team's figures) are also re-fetched when the stream names them among
// the heads whose team figures were recomputed (`teams`).
(() => {
  const refresh = (id, selector = "tr[data-employee-row]") => {
    const row = document.querySelector(`${selector}[data-employee-row="${id}"]`);
    if (!row || !window.htmx) return;
    const open = row.querySelector("details.quick-feedback[open]");
    if (open) {
      row.dataset.stale = "1";
      return;
    }
    delete row.dataset.stale;
    window.htmx.ajax("GET", row.dataset.rowUrl, { target: row, swap: "outerHTML" }).then(() => {
      const fresh = document.querySelector(`tr[data-employee-row="${id}"]`);
      if (fresh) {
        fresh.classList.add("just-updated");
        window.setTimeout(() => fresh.classList.remove("just-updated"), 2500);
      }
    });
  };

  const changed = (detail) => {
    if (detail && detail.reload) {
      const body = document.querySelector("[data-team-board]");
      if (body && window.htmx) {
        window.htmx.ajax("GET", window.location.href, { target: "#board-body", swap: "outerHTML" });
      }
      return;
    }
    // From the stream: {employees: [...], teams: [...]}; from htmx's HX-Trigger header:
    // {value: [...]}.
    const ids = (detail && (detail.employees || detail.value)) || [];
    ids.forEach((id) => refresh(id));
    const heads = (detail && detail.teams) || [];
    heads.filter((id) => !ids.includes(id)).forEach((id) => refresh(id, "tr[data-team-row]"));
  };

  document.addEventListener("kinerja:team-changed", (event) => changed(event.detail));
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || details.open) return;
    const row = details.closest("tr[data-employee-row]");
    if (row && row.dataset.stale) refresh(row.dataset.employeeRow);
  }, true);
})();
