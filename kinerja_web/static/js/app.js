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
/* Menu search (templates/base.html): the box stays hidden without JavaScript, where the grouped menu is enough.
   Typing hides the entries that do not match and opens the groups that do; Enter follows the first match. */
function menuSearchReady() {
  var box = document.querySelector(".menu-search");
  if (box) box.hidden = false;
}
document.addEventListener("DOMContentLoaded", menuSearchReady);
document.addEventListener("htmx:load", menuSearchReady);
function plain(text) {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
document.addEventListener("input", function (event) {
  if (event.target.id !== "cari-menu") return;
  var words = plain(event.target.value).split(/\s+/).filter(Boolean);
  var nav = event.target.closest("nav");
  var shown = 0;
  nav.querySelectorAll(".nav-group").forEach(function (group) {
    var hits = 0;
    group.querySelectorAll("li").forEach(function (item) {
      var label = plain(item.textContent + " " + group.querySelector("summary").textContent);
      var match = words.every(function (w) { return label.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) hits += 1;
    });
    group.hidden = hits === 0;
    if (hits && words.length) group.open = true;
    shown += hits;
  });
  nav.querySelector(".menu-empty").hidden = shown > 0;
});
document.addEventListener("keydown", function (event) {
  if (event.target.id !== "cari-menu" || event.key !== "Enter") return;
  event.preventDefault();
  var first = event.target.closest("nav").querySelector(".nav-group:not([hidden]) li:not([hidden]) a");
  if (first) first.click();
});

/* A table wider than its box scrolls inside it (app.css, phone width): the keyboard must be able to reach it to
   scroll, so such a box becomes a tab stop (and stops being one when it fits again). Browsers that already make
   scrollers focusable lose nothing; without JavaScript the box still scrolls by touch and mouse. */
function markScrollers() {
  document.querySelectorAll(".content table, .content .table-wrap").forEach(function (box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scroller = "1";
    } else if (!scrolls && box.dataset.scroller) {
      box.removeAttribute("tabindex");
      delete box.dataset.scroller;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollers);
document.addEventListener("htmx:load", markScrollers);
var scrollerTimer;
window.addEventListener("resize", function () {
  clearTimeout(scrollerTimer);
  scrollerTimer = setTimeout(markScrollers, 150);
});
