/* The little behaviour htmx does not cover, from a file: the Content-Security-Policy refuses inline scripts and
   javascript: links. Delegated from the document, so content swapped in by htmx needs no wiring. */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-cetak]")) {
    window.print();
  }
});
