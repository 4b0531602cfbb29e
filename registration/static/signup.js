// Registration form: a filter box above the member list, so a long list is searchable. The
// filter matches a member's name in any interface language (data-names) and its code; what
// the filter chose is announced (a polite live region), since it changes the list's value.
(function () {
  "use strict";
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var box = document.getElementById(select.dataset.searchable);
    if (!box) { return; }
    box.hidden = false;
    Array.prototype.forEach.call(box.labels, function (label) { label.hidden = false; });
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
      // Nothing matching chooses nothing: a member picked by an earlier letter would stay
      // chosen while hidden, and be sent without the person having seen it.
      if (needle) { select.value = firstMatch ? firstMatch.value : ""; }
      var text = !needle ? "" : firstMatch ? box.dataset.chosen.replace("{name}", firstMatch.text).replace("{count}", matches) : box.dataset.none;
      if (text !== said) { status.textContent = said = text; }
    });
  });
})();

// Questions asked of one attendance mode only: shown while that mode is chosen (the server
// ignores answers to questions that are not asked of the chosen mode).
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) { return; }
  var questions = form.querySelectorAll(".question[data-audience='in_person'], .question[data-audience='online']");
  if (!questions.length) { return; }
  function chosenMode() {
    var checked = form.querySelector("input[name='mode']:checked");
    return checked ? checked.value : "";
  }
  function show() {
    var mode = chosenMode();
    questions.forEach(function (question) {
      question.hidden = mode !== "" && question.dataset.audience !== mode;
    });
  }
  form.querySelectorAll("input[name='mode']").forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
