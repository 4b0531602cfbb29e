// Registration form: a filter box above the member list, so a long list is searchable. The
// filter matches a member's name in any interface language (data-names) and its code; what
// the filter chose is announced (a polite live region), since it changes the list's value.
(function () {
  "use strict";
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var box = document.getElementById(select.dataset.searchable);
    if (!box) { return; }
    box.hidden = false;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.id = box.id + "-status";
    box.insertAdjacentElement("afterend", status);
    var options = Array.prototype.slice.call(select.options);
    var said = "";
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var firstMatch = null;
      var matches = 0;
      options.forEach(function (option) {
        var names = (option.text + " " + (option.dataset.names || "")).toLowerCase();
        var match = !option.value || !needle || names.indexOf(needle) !== -1;
        option.hidden = !match;
        if (match && option.value) {
          matches += 1;
          if (!firstMatch) { firstMatch = option; }
        }
      });
      if (firstMatch && needle) { select.value = firstMatch.value; }
      var text = !needle ? "" : firstMatch ? box.dataset.chosen.replace("{name}", firstMatch.text).replace("{count}", matches) : box.dataset.none;
      if (text !== said) { status.textContent = said = text; }
    });
  });
})();
