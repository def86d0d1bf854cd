/* The little behaviour htmx does not cover, from a file: the Content-Security-Policy refuses inline scripts and
   javascript: links. Delegated from the document, so content swapped in by htmx needs no wiring. */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-cetak]")) {
    window.print();
  }
});

/* SKP table, click-to-edit: Esc in an open row is its "Batal"; a row opened or saved gets the keyboard focus
   (its first field, or its "Ubah" link again), so keyboard order follows the table. */
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var row = event.target.closest && event.target.closest("tr.editing");
  var cancel = row && row.querySelector("button[name=batal]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});
document.addEventListener("htmx:load", function (event) {
  var row = event.detail.elt;
  if (!row.matches || !row.matches("tr.rhk-row, tr.iki-row")) return;
  var focus = row.classList.contains("editing")
    ? row.querySelector("textarea, input:not([type=hidden]), select")
    : row.querySelector(".row-actions a");
  if (focus) focus.focus();
});

/* Textareas marked data-grow grow with their content (CSS field-sizing where the browser has it). */
function grow(area) {
  area.style.height = "auto";
  area.style.height = area.scrollHeight + 2 + "px";
}
function growAll(root) {
  root.querySelectorAll("textarea[data-grow]").forEach(grow);
}
document.addEventListener("input", function (event) {
  if (event.target.matches && event.target.matches("textarea[data-grow]")) grow(event.target);
});
document.addEventListener("DOMContentLoaded", function () { growAll(document); });
document.addEventListener("htmx:load", function (event) { growAll(event.detail.elt); });
