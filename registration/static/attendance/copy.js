/* Copy buttons: <button data-copy-target="element-id">; no inline scripts (CSP). The button
   says "Copied" for a moment, and a polite live region says so to screen readers. */
(function () {
  "use strict";
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-copied") || "Copied";
        status.textContent = "";
        var said = button.getAttribute("data-copied-status") || "Copied to the clipboard.";
        setTimeout(function () { status.textContent = said; }, 50);
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.trim()).then(done);
      } else {
        source.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
