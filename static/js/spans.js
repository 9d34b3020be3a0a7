// Span annotation: select text in a field, pick a label; highlights can be removed.
// Offsets count characters of the field's text only (labels and buttons are skipped).
(() => {
  function textOf(widget) {
    const box = widget.querySelector("[data-span-text]");
    if (box.dataset.text === undefined) box.dataset.text = box.textContent;
    return box.dataset.text;
  }
  const spansOf = (widget) => {
    try { return JSON.parse(widget.querySelector("[data-span-input]").value || "[]"); } catch { return []; }
  };

  function save(widget, spans) {
    const input = widget.querySelector("[data-span-input]");
    input.value = spans.length ? JSON.stringify(spans) : "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    render(widget);
  }

  function render(widget) {
    const text = textOf(widget);
    const box = widget.querySelector("[data-span-text]");
    const spans = spansOf(widget).map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start);
    box.replaceChildren();
    let at = 0;
    for (const span of spans) {
      if (span.start < at) continue; // overlapping spans are kept, drawn once
      box.append(document.createTextNode(text.slice(at, span.start)));
      const mark = document.createElement("mark");
      mark.className = "span";
      mark.append(document.createTextNode(text.slice(span.start, span.end)));
      const label = document.createElement("span");
      label.className = "span-label"; label.dataset.ui = ""; label.textContent = span.label;
      const remove = document.createElement("button");
      remove.type = "button"; remove.dataset.ui = ""; remove.dataset.removeSpan = span.i;
      remove.setAttribute("aria-label", widget.dataset.removeLabel || "×"); remove.textContent = "×";
      mark.append(label, remove);
      box.append(mark);
      at = span.end;
    }
    box.append(document.createTextNode(text.slice(at)));
  }

  function offsetIn(box, node, offset) {
    let count = 0;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest("[data-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    while (walker.nextNode()) {
      if (walker.currentNode === node) return count + offset;
      count += walker.currentNode.textContent.length;
    }
    return node === box ? offset : null;
  }

  function addSpan(widget, label) {
    const box = widget.querySelector("[data-span-text]");
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    let start = offsetIn(box, range.startContainer, range.startOffset);
    let end = offsetIn(box, range.endContainer, range.endOffset);
    if (start === null || end === null || start === end) return;
    if (start > end) [start, end] = [end, start];
    const spans = spansOf(widget);
    const overlaps = spans.some((s) => s.start < end && start < s.end);
    if (overlaps && widget.dataset.overlap !== "true") return;
    spans.push({ label, start, end });
    selection.removeAllRanges();
    save(widget, spans);
  }

  document.addEventListener("click", (event) => {
    const widget = event.target.closest("[data-spans]");
    if (!widget) return;
    const labelButton = event.target.closest("[data-span-label]");
    if (labelButton) addSpan(widget, labelButton.dataset.spanLabel);
    const remove = event.target.closest("[data-remove-span]");
    if (remove) {
      const spans = spansOf(widget);
      spans.splice(Number(remove.dataset.removeSpan), 1);
      save(widget, spans);
    }
  });
  // Keep the selection when a label button is pressed.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("[data-span-label]")) event.preventDefault();
  });

  const renderAll = () => document.querySelectorAll("[data-spans]").forEach(render);
  document.addEventListener("DOMContentLoaded", renderAll);
  document.addEventListener("htmx:afterSettle", renderAll);
})();
