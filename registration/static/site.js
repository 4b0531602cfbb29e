// Every page: where the focus starts, links to fields in error, scrolling table regions.
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

  // A table wider than the screen scrolls inside its region; the region is a tab stop (so a
  // keyboard can scroll it) only while it has something to scroll.
  var regions = document.querySelectorAll("[data-scroll-region]");
  function fit() {
    Array.prototype.forEach.call(regions, function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }
  if (regions.length) {
    fit();
    window.addEventListener("resize", fit);
  }
})();
