// The dataset admin page: each setting row shows the inputs of its type only, option lists
// grow with "Add option", and the guidelines get a rendered preview. Works on rows Django's
// "Add another" inserts later (events are delegated to the document).
(function () {
  "use strict";

  function showTypeParts(select) {
    const row = select.closest(".inline-related") || select.closest("fieldset");
    if (!row) return;
    const parts = JSON.parse(select.dataset.parts || "{}");
    const shown = parts[select.value] || [];
    for (const name of JSON.parse(select.dataset.allParts || "[]")) {
      for (const box of row.querySelectorAll(".form-row.field-" + name + ", .fieldBox.field-" + name)) {
        box.hidden = !shown.includes(name);
      }
    }
  }

  function showAll(root) {
    for (const select of root.querySelectorAll("select.setting-type")) showTypeParts(select);
  }

  function addOption(button) {
    const body = button.closest(".options-editor").querySelector("tbody");
    const last = body.querySelector("tr.option-row:last-child");
    if (!last) return;
    const copy = last.cloneNode(true);
    for (const input of copy.querySelectorAll("input")) input.value = "";
    body.appendChild(copy);
    copy.querySelector("input").focus();
  }

  async function preview(button) {
    const editor = button.closest(".guidelines-editor");
    const textarea = editor.querySelector("textarea");
    const target = editor.querySelector(".guidelines-preview");
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new URLSearchParams({ guidelines: textarea.value });
    const response = await fetch(textarea.dataset.previewUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
    });
    // The server renders and sanitises (the annotators' own Markdown renderer).
    target.innerHTML = response.ok ? await response.text() : "";
    target.hidden = !response.ok;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select.setting-type")) showTypeParts(event.target);
  });
  document.addEventListener("click", function (event) {
    const add = event.target.closest(".add-option");
    if (add) {
      event.preventDefault();
      addOption(add);
    }
    const show = event.target.closest(".guidelines-preview-button");
    if (show) {
      event.preventDefault();
      preview(show);
    }
  });
  document.addEventListener("formset:added", function (event) {
    showAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showAll(document); });
  } else {
    showAll(document);
  }
})();
