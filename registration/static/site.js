// Every page: where the focus starts, the skip link, links to fields in error, table regions.
(function () {
  "use strict";

  // After a failed submit the error summary takes the focus, so a screen reader reads it at
  // once; otherwise what the last action did (the flashed notices), if anything. A fragment
  // in the address (a form sent from a page reached by "#main") would move the focus to its
  // target once the page has loaded: the summary takes it back then.
  var start = document.querySelector("[data-error-summary]") || document.querySelector("[data-notices]");
  if (start) {
    start.focus();
    window.addEventListener("load", function () {
      var now = document.activeElement;
      if (now === document.body || (location.hash && now === document.getElementById(location.hash.slice(1)))) {
        start.focus();
      }
    });
  }

  // The skip link moves the focus to the main content without putting "#main" in the
  // address (forms sent from the page would carry it along).
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
    });
  }

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
