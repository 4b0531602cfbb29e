// The dispatch register while it runs: every few seconds the page is fetched again and its
// counts (a polite live region) and table replaced; it stops once the dispatch is finished.
// The table is left alone while focus is in it (so a "Send again" button is not pulled away)
// and polling goes on until it could be replaced.
(function () {
  "use strict";
  var live = document.getElementById("dispatch-live");
  if (!live || live.dataset.running !== "yes") { return; }

  function swap(id, fresh, keepFocus) {
    var old = document.getElementById(id);
    var next = fresh.getElementById(id);
    if (!old || !next) { return true; }
    if (keepFocus && old.contains(document.activeElement)) { return false; }
    if (old.innerHTML !== next.innerHTML) { old.innerHTML = next.innerHTML; }
    return true;
  }

  function refresh() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { window.setTimeout(refresh, 10000); return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        swap("dispatch-counts", fresh, false);
        swap("dispatch-progress", fresh, false);
        var tableShown = swap("dispatch-table", fresh, true);
        var next = fresh.getElementById("dispatch-live");
        if (!tableShown || (next && next.dataset.running === "yes")) { window.setTimeout(refresh, 3000); }
        else { live.dataset.running = "no"; }
      })
      .catch(function () { window.setTimeout(refresh, 10000); });
  }
  window.setTimeout(refresh, 3000);
})();
