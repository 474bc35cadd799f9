// Weak connections (kinerja.adoption): the realisation grid keeps what was typed in this
// browser (localStorage) when a save fails for lack of network, and offers to send it again.
// Without JavaScript, or with localStorage blocked, the form simply posts as usual.
(() => {
  "use strict";
  const form = document.querySelector("form[data-offline-draft]");
  if (!form || !window.fetch || !window.localStorage) return;
  const key = "kinerja:draft:" + form.dataset.offlineDraft;
  const fields = () =>
    Array.from(form.elements).filter(
      (el) => el.name && el.name !== "csrfmiddlewaretoken" && (el.tagName === "TEXTAREA" || el.type === "text" || el.type === "hidden")
    );

  function read() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function save() {
    const values = {};
    fields().forEach((el) => { values[el.name] = el.value; });
    try { localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), values })); } catch (e) { /* full or blocked */ }
  }
  function clear() { try { localStorage.removeItem(key); } catch (e) { /* blocked */ } }
  function fill(draft) {
    fields().forEach((el) => { if (el.name in draft.values) el.value = draft.values[el.name]; });
  }

  function banner(text, withActions) {
    let box = document.getElementById("offline-draft");
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-draft";
      box.className = "notice";
      box.setAttribute("role", "alert");
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = text + " ";
    if (withActions) {
      const resend = document.createElement("button");
      resend.type = "button";
      resend.className = "primary";
      resend.textContent = "Kirim ulang";
      resend.addEventListener("click", () => { const d = read(); if (d) fill(d); send(); });
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "linklike";
      drop.textContent = "Buang isian ini";
      drop.addEventListener("click", () => { clear(); box.remove(); });
      box.append(resend, " ", drop);
    }
  }

  async function send() {
    save();
    banner("Menyimpan…", false);
    let response;
    try {
      response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Kinerja-Offline-Draft": "1" },
      });
    } catch (e) {
      banner("Koneksi terputus: isian belum terkirim, tetapi tersimpan di perangkat ini. Kirim ulang saat sinyal kembali.", true);
      return;
    }
    // The server answered (saved, or shows what to correct in the re-rendered form): the copy
    // in this browser is no longer needed.
    clear();
    if (response.redirected) { window.location.assign(response.url); return; }
    const html = await response.text();
    document.open(); document.write(html); document.close();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); send(); });
  form.addEventListener("input", save);

  const draft = read();
  if (draft && draft.values) {
    const at = new Date(draft.at);
    fill(draft);
    banner("Ada isian yang belum terkirim dari " + at.toLocaleString("id-ID") + ". Isian itu sudah dimasukkan kembali ke formulir.", true);
  }
})();
