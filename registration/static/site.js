// Every page: where the focus starts, and links to fields in error.
(function () {
  "use strict";

  // After a failed submit the error summary takes the focus, so a screen reader reads it at
  // once; otherwise what the last action did (the flashed notices), if anything.
  var start = document.querySelector("[data-error-summary]") || document.querySelector("[data-notices]");
  if (start) { start.focus(); }

  // A link of the summary focuses its field and shows the field's label or question above it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest("fieldset");
    var caption = group ? group.querySelector("legend") : document.querySelector("label[for='" + field.id + "']");
    (caption || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
