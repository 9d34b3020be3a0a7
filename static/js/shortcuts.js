// Keyboard shortcuts for the focus view: a whole record can be done without the mouse.
(() => {
  const form = () => document.getElementById("answer-form");
  const questions = () => Array.from(document.querySelectorAll("#answer-form .question"));
  const isTyping = (el) => el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|number)$/.test(el.type)) || el.isContentEditable);

  function focusQuestion(question) {
    if (!question) return;
    const entry = question.querySelector("textarea");
    (entry || question).focus();
    question.scrollIntoView({ block: "nearest" });
  }

  function moveQuestion(step) {
    const all = questions();
    const current = all.findIndex((q) => q.contains(document.activeElement));
    const next = all[(current + step + all.length) % all.length];
    focusQuestion(next);
  }

  function press(action) {
    const button = document.querySelector(`#answer-form [data-action="${action}"]`);
    if (button) button.click();
  }

  function pickOption(question, n) {
    if (question.dataset.kind === "span") {
      const label = question.querySelectorAll("[data-span-label]")[n - 1];
      if (label) label.click();
      return;
    }
    const input = question.querySelectorAll("[data-option] input")[n - 1];
    if (!input) return;
    input.checked = input.type === "checkbox" ? !input.checked : true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", (event) => {
    if (!form() || document.querySelector("dialog[open]")) return;
    const target = event.target;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.key === "Enter") { event.preventDefault(); press("submit"); return; }
    if (ctrl && event.key === "Backspace" && !isTyping(target)) { event.preventDefault(); press("discard"); return; }
    if (ctrl && event.key === "ArrowRight" && !isTyping(target)) { event.preventDefault(); press("skip"); return; }
    if (event.key === "Tab" && form().contains(target) && !target.closest(".actions")) {
      event.preventDefault();
      moveQuestion(event.shiftKey ? -1 : 1);
      return;
    }
    if (isTyping(target) || ctrl || event.altKey) return;
    if (event.key === "?") { event.preventDefault(); document.getElementById("shortcuts").showModal(); return; }
    if (event.key === "g") { event.preventDefault(); toggleGuidelines(); return; }
    if (/^[1-9]$/.test(event.key)) {
      const question = target.closest && target.closest(".question");
      if (question) { event.preventDefault(); pickOption(question, Number(event.key)); }
    }
  });

  function toggleGuidelines() {
    document.getElementById("focus").classList.toggle("with-guidelines");
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-toggle-guidelines]")) toggleGuidelines();
    if (event.target.closest("[data-open-shortcuts]")) document.getElementById("shortcuts").showModal();
  });

  const start = () => focusQuestion(questions()[0]);
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id === "focus-body" || event.target.querySelector?.("#answer-form")) start();
  });
})();
