// Registration form: a filter box above the member list, so a long list is searchable.
(function () {
  "use strict";
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var box = document.getElementById(select.dataset.searchable);
    if (!box) { return; }
    box.hidden = false;
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var firstMatch = null;
      options.forEach(function (option) {
        var match = !option.value || !needle || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
        if (match && option.value && !firstMatch) { firstMatch = option; }
      });
      if (firstMatch && needle) { select.value = firstMatch.value; }
    });
  });
})();
