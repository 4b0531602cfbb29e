// Bulk-send progress: polls the batch's counts (outbox rows by status) until it is finished.
(function () {
  "use strict";
  var box = document.querySelector(".mail-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");

  function show(counts) {
    Object.keys(counts).forEach(function (name) {
      var cell = box.querySelector('[data-count="' + name + '"]');
      if (cell) { cell.textContent = counts[name]; }
    });
    bar.max = Math.max(counts.total, 1);
    bar.value = counts.done + counts.failed;
    bar.textContent = bar.value + " of " + counts.total;
    if (counts.finished) { status.textContent = status.dataset.finishedText; }
    return counts.finished;
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts || !show(counts)) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
