/* Check-in on a phone: camera scan (jsQR), typed badge code, name search, undo.
   Each check-in carries a client_id made once per action and reused on retry,
   so a double tap or a flaky-network retry is recorded once by the server.
   Every outcome is announced through a live region, and after each action the focus stays
   on (or moves to) a control that makes sense next: never to the page's body. */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var scope = document.getElementById("checkin-scope");
  var outcome = document.getElementById("checkin-outcome");
  var message = document.getElementById("checkin-message");
  var warning = document.getElementById("checkin-warning");
  var undoButton = document.getElementById("checkin-undo");
  var log = document.getElementById("checkin-log");
  var results = document.getElementById("checkin-results");
  var searchStatus = document.getElementById("checkin-search-status");
  var announcer = document.getElementById("checkin-announcer");
  var lastClientId = null;
  // The log's times as the page states them: its language (not the browser's), 24-hour as
  // the server writes them, in the conference's zone (named in the scope's hint).
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.zone || undefined
  });
  // What the script says, in the page's language (attendance/script_texts.py).
  var texts = JSON.parse(root.dataset.texts);
  function say(key, values) {
    return texts[key].replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  // Emptied first, so that the same words said twice are announced twice.
  function announce(region, text) {
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function scopeFields() {
    var parts = scope.value.split(":");
    return parts[0] === "panel" ? { panel_id: Number(parts[1]) } : { day: parts[1] };
  }

  function post(url, body, attempt) {
    attempt = attempt || 1;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        data.httpStatus = response.status;
        return data;
      }, function () {
        return { httpStatus: response.status, reason: say("serverAnswered", { status: response.status }) };
      });
    }, function (error) {
      if (attempt < 3) {  // same client_id: the server records it once
        return new Promise(function (resolve) { setTimeout(resolve, 600 * attempt); })
          .then(function () { return post(url, body, attempt + 1); });
      }
      return { httpStatus: 0, reason: say("noNetwork", { error: error.message }) };
    });
  }

  function show(data, quietly) {
    outcome.hidden = false;
    var ok = data.httpStatus >= 200 && data.httpStatus < 300;
    outcome.className = "checkin-outcome " + (ok ? "is-" + data.status : "is-refused");
    outcome.setAttribute("data-status", ok ? data.status : "refused");
    message.textContent = ok ? data.message : data.reason;
    warning.hidden = !data.warning;
    warning.textContent = data.warning || "";
    showPhoto(ok ? data.registration : null);
    if (!quietly) { announce(announcer, message.textContent + (data.warning ? " " + data.warning : "")); }
    // "duplicate" answers a resent scan whose first answer was lost: it is this phone's check-in.
    var recorded = ok && data.status !== "undone";
    undoButton.hidden = !recorded;
    if (recorded) {
      lastClientId = data.client_id;
      if (!log.querySelector('[data-client-id="' + data.client_id + '"]')) { addToLog(data); }
    }
  }

  // The badge photo, so the door can compare faces: asked for from the organisers' route
  // (id 0 stands for the person's), shown once loaded; a person without one gets a 404.
  var photo = document.getElementById("checkin-photo");
  if (photo) {
    photo.addEventListener("load", function () { photo.hidden = false; });
    photo.addEventListener("error", function () { photo.hidden = true; });
  }
  function showPhoto(person) {
    if (!photo) { return; }
    photo.hidden = true;
    if (person && person.id) {
      photo.alt = say("photoOf", { name: person.name });
      photo.src = root.dataset.photoUrl.replace("/0/photo.jpg", "/" + person.id + "/photo.jpg");
    } else {
      photo.alt = "";
      photo.removeAttribute("src");
    }
  }

  function addToLog(data) {
    var item = document.createElement("li");
    item.setAttribute("data-client-id", data.client_id);
    var text = document.createElement("span");
    text.textContent = clock.format(new Date()) + " " + data.registration.name + " (" + data.registration.member + ")";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "link";
    undo.textContent = say("undo");
    undo.addEventListener("click", function () { undoCheckIn(data.client_id, item); });
    item.appendChild(text);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(undo);
    log.insertBefore(item, log.firstChild);
  }

  // `focusTarget` takes the focus from the Undo button, which goes away once it has worked.
  function undoCheckIn(clientId, focusTarget) {
    return post(root.dataset.undoUrl, { client_id: clientId }).then(function (data) {
      var undone = data.httpStatus === 200;
      show(data, undone);
      if (undone) {
        var item = log.querySelector('[data-client-id="' + clientId + '"]');
        if (item) { markUndone(item); }
        undoButton.hidden = true;
        focusTarget.setAttribute("tabindex", "-1");
        focusTarget.focus();
      }
    });
  }

  function markUndone(item) {
    item.classList.add("is-undone");
    var button = item.querySelector("button");
    if (button) { button.remove(); }
    var note = document.createElement("span");
    note.className = "undone-note";
    note.textContent = say("undoneNote");
    item.appendChild(note);
  }

  function checkIn(fields) {
    var body = Object.assign({ client_id: newClientId() }, scopeFields(), fields);
    return post(root.dataset.scanUrl, body).then(function (data) { show(data); return data; });
  }

  undoButton.addEventListener("click", function () {
    if (lastClientId) { undoCheckIn(lastClientId, outcome); }
  });

  document.getElementById("checkin-code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("checkin-code");
    var code = input.value.trim();
    if (!code) { input.focus(); return; }
    checkIn({ payload: code }).then(function () {
      input.value = "";
      input.focus();  // ready for the next badge
    });
  });

  document.getElementById("checkin-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = document.getElementById("checkin-search").value.trim();
    var params = new URLSearchParams(Object.assign({ q: q }, scopeFields()));
    fetch(root.dataset.searchUrl + "?" + params.toString(), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (data) {
      results.textContent = "";
      var found = (data.results || []).length;
      if (!found) {
        var none = document.createElement("li");
        none.textContent = data.reason || say("nobodyFound");
        results.appendChild(none);
        announce(searchStatus, none.textContent);
        return;
      }
      data.results.forEach(function (person) { results.appendChild(resultItem(person)); });
      announce(searchStatus, found === 1 ? say("onePersonFound") : say("peopleFound", { count: found }));
    });
  });

  // A found person's line, as the page without script writes it: name, member, state, and
  // the institution below, marked with its language when the page's is not the one it is in.
  function describe(label, person) {
    label.textContent = person.name + " — " + person.member +
      (person.checked_in ? " " + say("checkedIn") : "") +
      (person.refused ? " (" + (texts.statuses[person.status] || person.status) + ")" : "");
    if (!person.institution) { return; }
    var institution = document.createElement("small");
    institution.className = "hint";
    institution.textContent = person.institution;
    if (person.institution_language && person.institution_language !== document.documentElement.lang) {
      institution.lang = person.institution_language;
    }
    label.appendChild(document.createElement("br"));
    label.appendChild(institution);
  }

  // A found person with a Check in button. While its check-in is on its way the button says so
  // (aria-disabled) but keeps the focus, which a disabled button would drop to the page.
  function resultItem(person) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    describe(label, person);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = say("checkIn");
    button.setAttribute("data-registration-id", person.id);
    button.setAttribute("aria-label", say("checkInPerson", { name: person.name }));
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") { return; }
      button.setAttribute("aria-disabled", "true");
      checkIn({ registration_id: person.id }).then(function (data) {
        button.removeAttribute("aria-disabled");
        if (data && data.httpStatus === 200 && data.status !== "undone") {
          person.checked_in = true;
          describe(label, person);
        }
      });
    });
    item.appendChild(label);
    item.appendChild(button);
    return item;
  }

  /* Camera scanning with jsQR: a frame every ~150 ms; the same code is ignored for 10 s. */
  var video = document.getElementById("checkin-video");
  var canvas = document.getElementById("checkin-canvas");
  var status = document.getElementById("checkin-camera-status");
  var toggle = document.getElementById("checkin-camera-toggle");
  var stream = null;
  var lastCode = "";
  var lastCodeAt = 0;
  var busy = false;

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = say("scanWithCamera");
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && !(code.data === lastCode && now - lastCodeAt < 10000)) {
        lastCode = code.data;
        lastCodeAt = now;
        busy = true;
        if (navigator.vibrate) { navigator.vibrate(80); }
        checkIn({ payload: code.data }).then(function () { busy = false; });
      }
    }
    setTimeout(function () { requestAnimationFrame(tick); }, 150);
  }

  toggle.addEventListener("click", function () {
    if (stream) { stopCamera(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = say("noCamera");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        toggle.textContent = say("stopCamera");
        status.textContent = say("pointCamera");
        return video.play();
      })
      .then(tick)
      .catch(function (error) {
        stopCamera();
        status.textContent = say("cameraFailed", { error: error.name });
      });
  });
})();
