/* Live attendance figures: polls figures.json every 15 s and redraws numbers and bars. */
(function () {
  "use strict";
  var root = document.getElementById("attendance-dashboard");
  if (!root) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  // Counts and the clock in the page's language, as the server wrote them (Babel).
  var language = document.documentElement.lang || "en";
  var count = new Intl.NumberFormat(language);

  function cell(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) { element.className = className; }
    if (tag === "th") { element.scope = "row"; }
    return element;
  }

  function bar(row, scale) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "bar");
    svg.setAttribute("viewBox", "0 0 100 10");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", say("bar", row));
    [["bar-in-person", 0, row.in_person], ["bar-online", row.in_person, row.online],
     ["bar-no-show", row.attended, row.no_shows]].forEach(function (part) {
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", part[0]);
      rect.setAttribute("x", (100 * part[1] / scale).toFixed(2));
      rect.setAttribute("y", "0");
      rect.setAttribute("height", "10");
      rect.setAttribute("width", (100 * part[2] / scale).toFixed(2));
      svg.appendChild(rect);
    });
    return svg;
  }

  var shown = "";
  // What the script says, in the page's language (attendance/script_texts.py).
  var texts = JSON.parse(root.dataset.texts);
  function say(key, values) {
    return texts[key].replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }

  // Redraws only when a figure changed, and says so in the "updated" line (a polite live
  // region) only then: news is announced, an unchanged poll is not. The first poll, right
  // (15 s after the page loaded) only catches up quietly.
  function render(data) {
    var fingerprint = JSON.stringify(data);
    if (fingerprint === shown) { return; }
    var first = !shown;
    shown = fingerprint;
    var total = data.total;
    Object.keys(total).forEach(function (key) {
      var target = root.querySelector('[data-figure="' + key + '"]');
      if (target) { target.textContent = count.format(total[key]); }
    });
    root.querySelector('[data-figure="member_states"]').textContent = count.format(data.member_states);
    var whole = Math.max(total.registered, total.attended, 1);
    var offsets = { in_person: 0, online: total.in_person, no_shows: total.attended };
    Object.keys(offsets).forEach(function (key) {
      var rect = root.querySelector('[data-bar="' + key + '"]');
      rect.setAttribute("x", (100 * offsets[key] / whole).toFixed(2));
      rect.setAttribute("width", (100 * total[key] / whole).toFixed(2));
    });
    // The press-release line in each language, each in its own box (data-summary="ru").
    Object.keys(data.summaries).forEach(function (code) {
      var summary = root.querySelector('[data-summary="' + code + '"]');
      if (summary && summary.value !== data.summaries[code]) { summary.value = data.summaries[code]; }
    });
    var body = document.getElementById("attendance-member-rows");
    var scale = Math.max(data.scale, 1);
    body.textContent = "";
    data.members.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("th", row.name));
      ["registered", "attended", "in_person", "online", "no_shows"].forEach(function (key) {
        tr.appendChild(cell("td", count.format(row[key]), "num"));
      });
      var chart = document.createElement("td");
      chart.className = "chart-cell";
      chart.appendChild(bar(row, scale));
      tr.appendChild(chart);
      body.appendChild(tr);
    });
    if (!data.members.length) {
      var none = document.createElement("tr");
      none.appendChild(cell("td", texts.nobody));
      none.firstChild.colSpan = 7;
      body.appendChild(none);
    }
    if (first) { return; }
    document.getElementById("attendance-updated").textContent =
      say("updated", { time: new Date().toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit", second: "2-digit" }) });
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(root.dataset.figuresUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: the next poll retries */ });
  }

  setInterval(poll, 15000);
  document.addEventListener("visibilitychange", poll);
})();
