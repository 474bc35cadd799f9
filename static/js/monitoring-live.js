// Live updates over Server-Sent Events (kinerja.monitoring.views.stream): the unread count in
// the header on every page, and, on the team board, the rows of the people who changed. One
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
    if (!status || !text) return;
    status.dataset.state = state;
    const label = status.querySelector("[data-live-text]");
    if (label) label.textContent = text;
  };

  const source = new EventSource(url.toString());
  source.addEventListener("open", () => say(status && status.dataset.onText, "on"));
  source.addEventListener("error", () => {
    // CLOSED: the browser gave up (the stream answered with the login page or an error, e.g.
    // the session ended): it will not reconnect, so the page must not say it is reconnecting.
    if (source.readyState === EventSource.CLOSED) {
      say(status && status.dataset.stoppedText, "stopped");
    } else {
      say(status && status.dataset.offText, "off");
    }
  });
  // The session ended (a logout in another tab, a deactivated account): stop listening. The
  // page stays as it is (a half-typed form is not lost); its next request goes to log in.
  source.addEventListener("signedout", () => {
    source.close();
    say(status && status.dataset.signedOutText, "stopped");
  });
  source.addEventListener("notifications", (event) => {
    if (!pill) return;
    const { unread } = JSON.parse(event.data);
    pill.textContent = String(unread);
    pill.hidden = unread === 0;
  });
  source.addEventListener("team", (event) => {
    const detail = JSON.parse(event.data);
    document.dispatchEvent(new CustomEvent("kinerja:team-changed", { detail }));
  });
  window.addEventListener("pagehide", () => source.close());
})();
