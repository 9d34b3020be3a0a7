// Custom fields render in sandboxed frames (apps/annotation/custom_fields.py); each frame
// says how tall its content is, and its frame is sized to it (within reason).
(() => {
  const MAX_HEIGHT = 2000;
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || typeof data.loamCustomField !== "string" || typeof data.height !== "number") return;
    for (const frame of document.querySelectorAll("iframe[data-custom-field]")) {
      if (frame.contentWindow === event.source) {
        frame.style.height = `${Math.min(Math.max(data.height, 20), MAX_HEIGHT)}px`;
      }
    }
  });
  // A frame that loaded before this script ran has reported to no one: ask it again.
  for (const frame of document.querySelectorAll("iframe[data-custom-field]")) {
    frame.contentWindow?.postMessage({ loamMeasure: true }, "*");
  }
})();
