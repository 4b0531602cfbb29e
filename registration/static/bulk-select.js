// The bulk form's "select all" box (shown only with scripts): ticks or clears every row's
// box, and shows mixed when some are ticked.
(function () {
  "use strict";
  var all = document.querySelector("[data-select-all]");
  if (!all) { return; }
  var boxes = document.querySelectorAll('input[type=checkbox][name="registration"]');
  if (!boxes.length) { return; }
  all.closest("label").hidden = false;

  function sync() {
    var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
})();
