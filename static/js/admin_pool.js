// Assignment rules: the named-annotators picker matters only for a "named" pool; for a pool
// of every workspace annotator it is hidden. The server renders the picker with the
// `pool-hidden` class when hidden (admin_dataset.css hides its row); this follows the select.
(function () {
  "use strict";

  function sync(select) {
    const rules = select.closest(".inline-related") || document;
    for (const picker of rules.querySelectorAll(".pool-annotators")) {
      picker.classList.toggle("pool-hidden", select.value !== "named");
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-pool_kind']")) sync(event.target);
  });
})();
