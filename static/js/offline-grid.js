// Weak connections (kinerja.adoption): the realisation grid keeps what was typed in this
// browser (localStorage) when a save fails for lack of network, and offers to send it again.
// The grid's form posts with htmx (hx-post: the server answers the updated page's <main>, which
// htmx swaps in place); this script follows htmx's events on that form. Without JavaScript, or
// with localStorage blocked, the form simply posts as usual (POST, redirect, GET).
(() => {
  "use strict";
  // htmx runs this script again when it swaps in a new <main>: the listeners below are on the
  // document, for whichever grid form is there, so once is enough.
  if (window.kinerjaOfflineGrid || !window.localStorage) return;
  window.kinerjaOfflineGrid = true;
  const grid = () => document.querySelector("form[data-offline-draft]");
  const isGrid = (el) => el instanceof HTMLFormElement && el.hasAttribute("data-offline-draft");
  const key = (form) => "kinerja:draft:" + form.dataset.offlineDraft;
  const fields = (form) =>
    Array.from(form.elements).filter(
      (el) => el.name && el.name !== "csrfmiddlewaretoken" && (el.tagName === "TEXTAREA" || el.type === "text" || el.type === "hidden")
    );

  function read(form) {
    try { return JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { return null; }
  }
  function save(form) {
    const values = {};
    fields(form).forEach((el) => { values[el.name] = el.value; });
    try { localStorage.setItem(key(form), JSON.stringify({ at: new Date().toISOString(), values })); } catch (e) { /* full or blocked */ }
  }
  function clear(form) { try { localStorage.removeItem(key(form)); } catch (e) { /* blocked */ } }
  function fill(form, draft) {
    fields(form).forEach((el) => { if (el.name in draft.values) el.value = draft.values[el.name]; });
  }
  function send(form) {
    if (form.requestSubmit) form.requestSubmit();
    else if (window.htmx) window.htmx.trigger(form, "submit");
    else form.submit();
  }

  function banner(form, text, withActions) {
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
      resend.addEventListener("click", () => {
        const current = grid();
        if (!current) return;
        const d = read(current);
        if (d) fill(current, d);
        send(current);
      });
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "linklike";
      drop.textContent = "Buang isian ini";
      drop.addEventListener("click", () => { const current = grid(); if (current) clear(current); box.remove(); });
      box.append(resend, " ", drop);
    }
  }

  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (isGrid(form)) save(form);
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!isGrid(event.detail.elt)) return;
    save(event.detail.elt);
    banner(event.detail.elt, "Menyimpan…", false);
  });
  document.addEventListener("htmx:sendError", (event) => {
    if (!isGrid(event.detail.elt)) return;
    banner(event.detail.elt, "Koneksi terputus: isian belum terkirim, tetapi tersimpan di perangkat ini. Kirim ulang saat sinyal kembali.", true);
  });
  document.addEventListener("htmx:timeout", (event) => {
    if (!isGrid(event.detail.elt)) return;
    banner(event.detail.elt, "Koneksi terputus: isian belum terkirim, tetapi tersimpan di perangkat ini. Kirim ulang saat sinyal kembali.", true);
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    // htmx fires this on the swap's target (<main>): the form that sent is the request's.
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!isGrid(form)) return;
    // The server answered (saved, or shows what to correct in the form): the copy in this
    // browser is no longer needed.
    clear(form);
    const xhr = event.detail.xhr;
    const answered = new URL(xhr.responseURL || window.location.href, window.location.href);
    if (answered.pathname !== window.location.pathname) {
      // Not the grid (e.g. the session ended and the login page answered): go there.
      event.detail.shouldSwap = false;
      window.location.assign(answered.href);
    } else if (xhr.status >= 400) {
      // An error page (refused, or the server failed): show it as the page, as a plain post would.
      event.detail.shouldSwap = false;
      document.open(); document.write(xhr.responseText); document.close();
    }
  });

  const form = grid();
  const draft = form && read(form);
  if (draft && draft.values) {
    const at = new Date(draft.at);
    fill(form, draft);
    banner(form, "Ada isian yang belum terkirim dari " + at.toLocaleString("id-ID") + ". Isian itu sudah dimasukkan kembali ke formulir.", true);
  }
})();
