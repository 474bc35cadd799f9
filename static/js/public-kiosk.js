// Counter-tablet mode of the survey: the questionnaire is sent to the kiosk API with the device
// token kept in this tablet's localStorage; after each answer the form resets for the next person.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("kiosk");
  if (!root) return;
  const key = `kinerja-kiosk-token:${root.dataset.code}`;
  const setup = root.querySelector("[data-kiosk-setup]");
  const survey = root.querySelector("[data-kiosk-survey]");
  const thanks = root.querySelector("[data-kiosk-thanks]");
  const form = root.querySelector("[data-kiosk-form]");
  const error = root.querySelector("[data-kiosk-error]");

  const show = (section) => {
    [setup, survey, thanks].forEach((el) => { el.hidden = el !== section; });
    window.scrollTo(0, 0);
  };
  const showError = (text) => {
    error.textContent = text;
    error.hidden = !text;
    if (text) error.scrollIntoView({ block: "center" });
  };

  root.querySelector("[data-kiosk-token-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = document.getElementById("kiosk-token").value.trim();
    if (value) {
      localStorage.setItem(key, value);
      show(survey);
    }
  });
  root.querySelector("[data-kiosk-reset]").addEventListener("click", () => {
    localStorage.removeItem(key);
    show(setup);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const data = new FormData(form);
    const answers = [];
    for (let i = 1; i <= 9; i += 1) {
      const value = data.get(`u${i}`);
      if (!value) {
        showError(`Pilih jawaban untuk pertanyaan ${i}.`);
        return;
      }
      answers.push(Number(value));
    }
    const profile = {};
    if (data.get("sex")) profile.sex = data.get("sex");
    if (data.get("age")) profile.age = Number(data.get("age"));
    if (data.get("education")) profile.education = data.get("education");
    if (data.get("occupation")) profile.occupation = data.get("occupation");
    const body = { answers, profile, suggestion: data.get("suggestion") || "" };
    let response;
    try {
      response = await fetch(root.dataset.api, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${localStorage.getItem(key) || ""}`,
        },
        body: JSON.stringify(body),
      });
    } catch (err) {
      showError("Tidak dapat terhubung ke server. Periksa jaringan, lalu kirim lagi.");
      return;
    }
    if (response.status === 201) {
      form.reset();
      show(thanks);
      setTimeout(() => show(survey), 5000);
      return;
    }
    let detail = "Jawaban tidak dapat dikirim.";
    try { detail = (await response.json()).detail || detail; } catch (err) { /* not JSON */ }
    if (response.status === 401) {
      localStorage.removeItem(key);
      const setupError = root.querySelector("[data-kiosk-setup-error]");
      setupError.textContent = detail;
      setupError.hidden = false;
      show(setup);
      return;
    }
    showError(detail);
  });

  show(localStorage.getItem(key) ? survey : setup);
});
