// Active time on a record: one second is counted each second while the tab is visible and
// the annotator did something (a key, the pointer, a scroll) within the idle limit. The
// seconds go with the next save of the answer form (draft, submit or discard), and the
// server adds them to the response, so visits and drafts sum up.
(() => {
  const form = () => document.getElementById("answer-form");
  let lastActivity = Date.now();
  let unsent = 0;
  const active = () => { lastActivity = Date.now(); };
  for (const type of ["keydown", "pointerdown", "pointermove", "wheel", "scroll", "input", "touchstart"]) {
    document.addEventListener(type, active, { passive: true, capture: true });
  }
  setInterval(() => {
    const idleMs = Number(form()?.dataset.idleSeconds || 60) * 1000;
    if (form() && document.visibilityState === "visible" && Date.now() - lastActivity < idleMs) unsent += 1;
  }, 1000);

  // The seconds leave with a request; a request that saved nothing gives them back.
  document.addEventListener("htmx:configRequest", (event) => {
    if (!event.detail.elt.closest?.("#answer-form")) return;
    const sent = unsent;
    unsent = 0;
    event.detail.parameters["active_seconds"] = String(sent);
    event.detail.elt.dataset.sentSeconds = String(sent);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const elt = event.detail.elt;
    if (!elt.dataset?.sentSeconds) return;
    const status = event.detail.xhr.status;
    if (status !== 200 && status !== 204) unsent += Number(elt.dataset.sentSeconds);
    delete elt.dataset.sentSeconds;
  });
  // A new record starts from nothing (its predecessor's seconds were sent with its submit).
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id === "focus-body") lastActivity = Date.now();
  });
})();

// The record stays reserved while its annotator works on it: the lease is renewed every
// half minute of activity. If it was lost (taken by someone else after it expired), say so:
// the answer is still kept. Going elsewhere (a link off the record) gives the record back.
(() => {
  const form = () => document.getElementById("answer-form");
  const csrf = () => form()?.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  let lastActivity = Date.now();
  let lastRenewal = Date.now();
  for (const type of ["keydown", "pointerdown", "input", "wheel"]) {
    document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true, capture: true });
  }
  setInterval(async () => {
    const url = form()?.dataset.leaseUrl;
    if (!url || lastActivity <= lastRenewal || document.visibilityState !== "visible") return;
    lastRenewal = Date.now();
    const answer = await fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf() } });
    const lost = form()?.querySelector("[data-lease-lost]");
    if (lost) lost.hidden = answer.status !== 409;
  }, 30_000);
  document.addEventListener("htmx:afterSettle", () => { lastRenewal = Date.now(); });

  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    const url = form()?.dataset.releaseUrl;
    if (!link || !url || link.getAttribute("href").startsWith("#") || event.defaultPrevented) return;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf());
    navigator.sendBeacon(url, body);
  });
})();
