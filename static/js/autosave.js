/*
 * Autosave for the questionnaire: each answer is posted as soon as it is
 * given, with a visible state per question ("Saving…", "Saved",
 * "Not saved — retry"). Failed saves retry with back-off until they are stored,
 * and a retry button lets the owner try at once. The form's own "Save" buttons keep working
 * without this script.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-autosave-form]");
  if (!form || !window.fetch) { return; }
  var urlTemplate = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var noteTimers = {};
  var RETRY_DELAYS = [1000, 3000, 8000, 20000];

  function card(code) { return form.querySelector('[data-question-card="' + code + '"]'); }
  function hidden(code, name) { return form.querySelector('input[name="' + name + "-" + code + '"]'); }

  function setState(code, state, text) {
    var el = card(code).querySelector("[data-save-state]");
    el.className = "save-state small state-" + state;
    el.textContent = "";
    var span = document.createElement("span");
    span.textContent = text;
    el.appendChild(span);
    if (state === "error") {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-link btn-sm p-0 ms-1 align-baseline";
      btn.textContent = "Retry now";
      btn.addEventListener("click", function () { save(code, 0); });
      el.appendChild(btn);
    }
  }

  function currentChoice(code) {
    var checked = form.querySelector('input[name="q-' + code + '"]:checked');
    return checked ? checked.value : "";
  }
  function currentNote(code) {
    var note = form.querySelector('textarea[name="note-' + code + '"]');
    return note ? note.value : "";
  }

  // The server words the progress line and the section badge, as the page does: an
  // answer carried over from last time counts as answered only once confirmed.
  function updateProgress(data) {
    document.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.setAttribute("aria-valuenow", data.answered);
      bar.setAttribute("aria-valuetext", data.progress_text);
      var inner = bar.querySelector("[data-progress-bar]");
      inner.className = inner.className.replace(/\bw-pct-\d+\b/, "w-pct-" + data.percent);
    });
    document.querySelectorAll("[data-progress-text]").forEach(function (p) {
      p.textContent = data.progress_text;
    });
  }

  function updateSection(section) {
    var current = document.querySelector(".section-menu-item a[aria-current=page] [data-section-count]");
    if (!current || !section) { return; }
    current.className = current.className.replace(/\bstate-\w+/, "state-" + section.state);
    current.textContent = "";
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = section.badge;
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = section.spoken;
    current.appendChild(shown);
    current.appendChild(document.createTextNode(" "));
    current.appendChild(spoken);
  }

  function save(code, attempt) {
    if (pending[code]) { clearTimeout(pending[code]); delete pending[code]; }
    setState(code, "saving", "Saving…");
    var body = new URLSearchParams();
    body.append("choice", currentChoice(code));
    body.append("note", currentNote(code));
    body.append("revision", hidden(code, "rev").value || "0");
    fetch(urlTemplate.replace("CODE", encodeURIComponent(code)), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (res) {
      var data = res.data || {};
      if (res.status === 200 && data.status === "saved") {
        hidden(code, "rev").value = data.revision;
        hidden(code, "orig").value = currentChoice(code);
        hidden(code, "orignote").value = currentNote(code);
        setState(code, "saved", "Saved");
        var carried = card(code).querySelector("[data-carried-state]");
        if (carried) { carried.textContent = "Confirmed"; carried.className = "badge text-bg-success"; }
        updateProgress(data);
        updateSection(data.section);
      } else if (data.status === "stale") {
        // Another window changed this answer: show its version, keep nothing silently.
        hidden(code, "rev").value = data.current.revision;
        hidden(code, "orig").value = data.current.choice;
        hidden(code, "orignote").value = data.current.note;
        form.querySelectorAll('input[name="q-' + code + '"]').forEach(function (r) {
          r.checked = r.value === data.current.choice;
        });
        var note = form.querySelector('textarea[name="note-' + code + '"]');
        if (note) { note.value = data.current.note; }
        setState(code, "stale", data.message);
      } else if (data.status === "login_required") {
        setState(code, "error-final", data.message);
        var login = document.createElement("a");
        login.href = data.login_url + "?next=" + encodeURIComponent(window.location.pathname + "#q-" + code);
        login.className = "ms-1";
        login.textContent = "Log in again";
        card(code).querySelector("[data-save-state]").appendChild(login);
      } else if (res.status === 400 || data.status === "read_only" || res.status === 404) {
        var errors = data.errors ? Object.values(data.errors).join(" ") : (data.message || "This answer was refused.");
        setState(code, "error-final", "Not saved: " + errors);
      } else {
        throw new Error("HTTP " + res.status);
      }
    }).catch(function () {
      setState(code, "error", "Not saved — retry");
      // Until it is stored: a server restart, a deploy or a database failover can outlast any
      // fixed number of tries, and an owner who walked away would lose the answer. After the
      // back-off, every 20 s; only a refusal (above) stops the tries.
      var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
      pending[code] = setTimeout(function () { save(code, attempt + 1); }, delay);
    });
  }

  form.addEventListener("change", function (event) {
    var code = event.target.getAttribute("data-question");
    // The "keep this answer" box confirms an answer carried over from last time.
    if (code && (event.target.type === "radio" || (event.target.type === "checkbox" && event.target.checked))) {
      save(code, 0);
    }
  });
  form.addEventListener("input", function (event) {
    var code = event.target.getAttribute("data-question");
    if (code && event.target.tagName === "TEXTAREA") {
      clearTimeout(noteTimers[code]);
      setState(code, "pending", "Not saved yet…");
      noteTimers[code] = setTimeout(function () { save(code, 0); }, 800);
    }
  });
  window.addEventListener("online", function () {
    form.querySelectorAll(".state-error").forEach(function (el) {
      save(el.closest("[data-question-card]").getAttribute("data-question-card"), 0);
    });
  });
}());
