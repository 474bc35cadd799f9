// Live updates over Server-Sent Events (kinerja.monitoring.views.stream): the unread count in
// the header on every page (and, when it rises, the page's feedback sections), and, on the team
// board, the rows of the people who changed. One
// stream per open page; the server's worker feeds every open stream from one listener
// (kinerja.monitoring.hub), so an idle page costs no query. Pages work without it (and
// without JavaScript): this only saves a reload.
(() => {
  const meta = document.querySelector('meta[name="kinerja-live"]');
  if (!meta || !window.EventSource) return;
  const pill = document.querySelector("[data-unread-count]");
  const status = document.querySelector("[data-live-status]");
  const board = () => document.querySelector("[data-team-board]");
  const url = new URL(meta.content, window.location.href);
  const initialBoard = board();
  if (initialBoard) {
    url.searchParams.set("tim", "1");
    url.searchParams.set("sejak", initialBoard.dataset.since || "0");
  }
  if (pill) url.searchParams.set("belum", pill.textContent.trim() || "0");

  const say = (text, state) => {
    document.documentElement.dataset.live = state; // every page, for tests and styles
    if (!status || !text) return;
    status.dataset.state = state;
    const label = status.querySelector("[data-live-text]");
    if (label) label.textContent = text;
  };

  let source = null;
  const listen = () => {
    source = new EventSource(url.toString());
    source.addEventListener("open", () => say(status && status.dataset.onText, "on"));
    source.addEventListener("error", (event) => {
      // CLOSED: the browser gave up (the stream answered with the login page or an error,
      // e.g. the session ended): it will not reconnect, so the page must not say it is
      // reconnecting.
      if (event.target.readyState === EventSource.CLOSED) {
        say(status && status.dataset.stoppedText, "stopped");
      } else {
        say(status && status.dataset.offText, "off");
      }
    });
    // The session this stream opened with ended (a logout in another tab, a deactivated
    // account, a password change). When the browser is still signed in under a new session
    // (the password was changed in this browser, which renews the cookie), listen again;
    // otherwise stop. The page stays as it is (a half-typed form is not lost); its next
    // request goes to log in.
    source.addEventListener("signedout", async (event) => {
      event.target.close();
      const probe = new URL(url.toString());
      probe.searchParams.set("once", "1");
      try {
        const answer = await fetch(probe.toString(), { credentials: "same-origin" });
        if (answer.ok && !answer.redirected) {
          listen();
          return;
        }
      } catch (e) {
        /* offline: say it stopped */
      }
      say(status && status.dataset.signedOutText, "stopped");
    });
    source.addEventListener("notifications", onNotifications);
    source.addEventListener("team", (event) => {
      const detail = JSON.parse(event.data);
      document.dispatchEvent(new CustomEvent("kinerja:team-changed", { detail }));
    });
  };
  // A new notification (feedback from the supervisor, a reply): the page's sections marked
  // data-live-section (the feedback on "Kinerja saya", each month's evidence and feedback on
  // the realisation grid) are read again from this page's address in one request and swapped
  // in place. A section the person is typing in, or has focus in, is left alone.
  let unreadShown = pill ? Number(pill.textContent.trim() || "0") : 0;
  const typing = (section) =>
    section.contains(document.activeElement) ||
    Array.from(section.querySelectorAll("textarea, input:not([type=hidden]):not([type=submit])")).some(
      (field) => (field.type === "file" ? field.files && field.files.length : field.value)
    );
  const refreshSections = async () => {
    const sections = Array.from(document.querySelectorAll("[data-live-section][id]"));
    if (!sections.length) return;
    let response;
    try {
      response = await fetch(window.location.href, { credentials: "same-origin" });
    } catch (e) {
      return;
    }
    if (!response.ok || response.redirected) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    sections.forEach((section) => {
      const next = fresh.getElementById(section.id);
      if (!next || typing(section) || next.innerHTML === section.innerHTML) return;
      const adopted = document.importNode(next, true);
      section.replaceWith(adopted);
      if (window.htmx) window.htmx.process(adopted);
    });
  };
  function onNotifications(event) {
    if (!pill) return;
    const { unread } = JSON.parse(event.data);
    pill.textContent = String(unread);
    pill.hidden = unread === 0;
    if (unread > unreadShown) refreshSections();
    unreadShown = unread;
  }
  listen();
  window.addEventListener("pagehide", () => source && source.close());
})();
