// Bulk-send progress: polls the batch's counts (outbox rows by status) until it is finished;
// a bulk action's page also lists its outcomes ([data-outcomes]) as they come and says their
// counts in a polite live region ([data-summary]); a job building a file shows its download
// link ([data-download]) once the file is there.
(function () {
  "use strict";
  var box = document.querySelector(".mail-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  var outcomes = box.querySelector("[data-outcomes]");
  var file = box.querySelector("[data-download]");
  // A polite live region: the counts in one sentence, said when they change (the outcome
  // lines themselves are not announced one by one).
  var summary = box.querySelector("[data-summary]");
  // Counts in the page's language, as the server wrote them (Babel); the bar's text from the
  // page's catalogue ("{done} of {total}").
  var count = new Intl.NumberFormat(document.documentElement.lang || "en");
  var ofText = bar.dataset.ofText || "{done} of {total}";

  function showOutcomes(lines) {
    if (!outcomes || !lines || !lines.length) { return; }
    var texts = lines.map(function (line) {
      return line.text + (line.names && line.names.length ? " (" + line.names.join(", ") + ")" : "");
    });
    var shown = Array.prototype.map.call(outcomes.children, function (item) { return item.textContent; });
    if (shown.join("\n") === texts.join("\n")) { return; }
    outcomes.textContent = "";
    texts.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      outcomes.appendChild(item);
    });
  }

  function show(counts) {
    Object.keys(counts).forEach(function (name) {
      var cell = box.querySelector('[data-count="' + name + '"]');
      if (cell) { cell.textContent = count.format(counts[name]); }
    });
    bar.max = Math.max(counts.total, 1);
    bar.value = counts.done + counts.failed;
    bar.textContent = ofText.replace("{done}", count.format(bar.value))
      .replace("{total}", count.format(counts.total));
    showOutcomes(counts.outcomes);
    if (file && counts.download) { file.hidden = false; }
    if (summary && counts.summary && summary.textContent !== counts.summary) {
      summary.textContent = counts.summary;
    }
    if (counts.finished) { status.textContent = counts.state || status.dataset.finishedText; }
    // A job that failed while the page was open: the page, loaded again, says why.
    if (counts.job_failed && !box.querySelector("[data-failed]")) { window.location.reload(); }
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
