// Drag-to-rank: dropping a row reorders the list and renumbers every rank select.
(() => {
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    dragged = event.target.closest?.("[data-rank-row]") || null;
  });
  document.addEventListener("dragover", (event) => {
    if (dragged && event.target.closest?.("[data-ranking]")) event.preventDefault();
  });
  document.addEventListener("drop", (event) => {
    const list = event.target.closest?.("[data-ranking]");
    const row = event.target.closest?.("[data-rank-row]");
    if (!dragged || !list || !list.contains(dragged)) return;
    event.preventDefault();
    if (row && row !== dragged) {
      const after = event.clientY > row.getBoundingClientRect().top + row.offsetHeight / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    }
    list.querySelectorAll("[data-rank-row] select").forEach((select, i) => { select.value = String(i + 1); });
    list.querySelector("select").dispatchEvent(new Event("change", { bubbles: true }));
    dragged = null;
  });
})();
