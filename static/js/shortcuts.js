// Keyboard shortcuts for the focus view: a whole record can be done without the mouse.
// Tab keeps its natural order (questions, then the actions, then the links). Shortcuts work
// wherever focus is, except while typing in a text box; Esc leaves the box. Number keys go to
// the current question: the one holding focus, else the one last used (highlighted).
(() => {
  const form = () => document.getElementById("answer-form");
  const questions = () => Array.from(document.querySelectorAll("#answer-form .question"));
  const isTyping = (el) => el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|number|email|url)$/.test(el.type)) || el.isContentEditable);
  let current = null;

  function setCurrent(question) {
    if (!question || question === current) return;
    if (current) current.classList.remove("current");
    current = question;
    current.classList.add("current");
  }

  const hasChoices = (q) => q && q.querySelector("[data-option], [data-span-label]");

  // The question the number keys go to: the one holding focus or last used, if it has
  // choices; else the nearest one before it that has (a text box has none to pick).
  function currentQuestion() {
    const all = questions();
    let question = document.activeElement?.closest?.("#answer-form .question");
    if (!question && current && document.contains(current)) question = current;
    if (hasChoices(question)) return question;
    const at = all.indexOf(question);
    const before = all.slice(0, at < 0 ? 0 : at).reverse().find(hasChoices);
    return before || all.find(hasChoices) || all[0];
  }

  function focusQuestion(question) {
    if (!question) return;
    setCurrent(question);
    // A choice question takes the number keys at once; a text box would swallow them.
    const entry = question.querySelector("[data-option] input:checked") || question.querySelector("[data-option] input");
    (entry || question).focus({ preventScroll: true });
    question.scrollIntoView({ block: "nearest" });
  }

  function press(action) {
    const button = document.querySelector(`#answer-form [data-action="${action}"]`);
    if (button) button.click();
  }

  function pickOption(question, n) {
    if (question.dataset.kind === "span") {
      const label = question.querySelectorAll("[data-span-label]")[n - 1];
      if (label) label.click();
      return true;
    }
    const input = question.querySelectorAll("[data-option] input")[n - 1];
    if (!input) return false;
    input.checked = input.type === "checkbox" ? !input.checked : true;
    // Within the question, focus follows the pick (as arrow keys do), so Tab leaves from it.
    if (question.contains(document.activeElement)) input.focus({ preventScroll: true });
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  document.addEventListener("focusin", (event) => {
    const question = event.target.closest?.("#answer-form .question");
    if (question) setCurrent(question);
  });
  document.addEventListener("pointerdown", (event) => {
    const question = event.target.closest?.("#answer-form .question");
    if (question) setCurrent(question);
  });

  document.addEventListener("keydown", (event) => {
    if (!form() || document.querySelector("dialog[open]")) return;
    const target = event.target;
    const mod = event.ctrlKey || event.metaKey;
    const typing = isTyping(target);
    if (mod && event.key === "Enter") { event.preventDefault(); press("submit"); return; }
    if (mod && (event.key === "s" || event.key === "S")) { event.preventDefault(); press("draft"); return; }
    if (mod && event.key === "Backspace" && !typing) { event.preventDefault(); press("discard"); return; }
    if (mod && event.key === "ArrowRight" && !typing) { event.preventDefault(); press("skip"); return; }
    if (event.key === "Escape" && typing) {
      event.preventDefault();
      const question = target.closest(".question");
      target.blur();
      if (question) { setCurrent(question); question.focus({ preventScroll: true }); }
      return;
    }
    if (event.key === "Escape" && document.getElementById("focus").classList.contains("with-guidelines")) {
      toggleGuidelines();
      return;
    }
    if (typing || mod || event.altKey) return;
    if (event.key === "?") { event.preventDefault(); document.getElementById("shortcuts").showModal(); return; }
    if (event.key === "g") { event.preventDefault(); toggleGuidelines(); return; }
    const nav = { b: "back", p: "previous", n: "next" }[event.key];
    if (nav) {
      const link = document.querySelector(`[data-nav="${nav}"]`);
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    // A rank select takes digits itself.
    if (/^[1-9]$/.test(event.key) && target.tagName !== "SELECT") {
      const question = currentQuestion();
      if (question && pickOption(question, Number(event.key))) event.preventDefault();
    }
  });

  function toggleGuidelines() {
    document.getElementById("focus").classList.toggle("with-guidelines");
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-jump-questions]")) {
      event.preventDefault();
      focusQuestion(currentQuestion());
      document.getElementById("answer-form").scrollIntoView({ block: "start" });
    }
    if (event.target.closest("[data-toggle-guidelines]")) toggleGuidelines();
    if (event.target.closest("[data-open-shortcuts]")) document.getElementById("shortcuts").showModal();
  });

  // A touch screen has no keys to take: focusing would only draw a ring (and scroll).
  const touch = window.matchMedia("(hover: none) and (pointer: coarse)").matches;
  const start = () => { current = null; if (!touch) focusQuestion(currentQuestion()); };
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id === "focus-body" || event.target.querySelector?.("#answer-form")) start();
  });
})();
