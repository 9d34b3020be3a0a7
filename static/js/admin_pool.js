// Assignment rules: the named-annotators picker matters only for a "named" pool; for a pool
// of every workspace annotator it is hidden (the server renders it hidden the same way).
(function () {
  "use strict";

  function sync(select) {
    const rules = select.closest(".inline-related") || document;
    const picker = rules.querySelector(".form-row.field-annotators");
    if (picker) picker.hidden = select.value !== "named";
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-pool_kind']")) sync(event.target);
  });
  function start() {
    for (const select of document.querySelectorAll("select[name$='-pool_kind']")) sync(select);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
