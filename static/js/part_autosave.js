/*
 * Autosave for a part of the continuity plan, as the questionnaire saves answers:
 * the whole form is posted a moment after the owner stops typing, with a visible
 * state ("Saving…", "Saved at 14:02", "Not saved: …"), retries a failed save until it is
 * stored (a refused one waits for the owner's correction), and the browser warns before
 * leaving the page while typed text is not saved. The server answers JSON
 * (continuity.views._part_autosave) and keeps drafted rows left empty until the
 * owner presses "Save", which still works without this script.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-part-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var state = form.querySelector("[data-save-state]");
  var revision = form.querySelector("input[name=revision]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var DELAY = 1000;
  var RETRY_DELAYS = [2000, 5000, 15000, 20000];
  var timer = null;
  var dirty = false;      // typed since the last save the server confirmed
  var inFlight = false;
  var again = false;      // typed while a save was on its way: save once more after it
  var submitting = false;
  var submitAfter = false; // "Save" pressed while an autosave was on its way

  function show(kind, text, retry) {
    state.className = "save-state small mb-2 state-" + kind;
    state.textContent = text;
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 ms-1 align-baseline";
      button.textContent = "Retry now";
      button.addEventListener("click", function () { save(0); });
      state.appendChild(button);
    }
  }

  // The part's state line, as the server drew it for the saved part (a draft is the
  // owner's once saved): the badge must not keep saying "Draft".
  var partState = document.querySelector("[data-part-state]");
  function showPartState(html) {
    if (partState && html) { partState.innerHTML = html; }
    var draftNote = document.querySelector("[data-draft-note]");
    if (draftNote && html && html.indexOf("plan-state-draft") === -1) { draftNote.remove(); }
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function describe(errors) {
    var first = errors[0] || {};
    var where = first.where ? first.where + ": " : "";
    var more = errors.length > 1 ? " (and " + (errors.length - 1) + " more)" : "";
    return "Not saved: " + where + (first.message || "this part was refused") + more +
      " Correct it, or press Save to see every field marked.";
  }

  function save(attempt) {
    clearTimeout(timer);
    if (inFlight) { again = true; return; }
    inFlight = true;
    again = false;
    show("saving", "Saving…");
    fetch(window.location.pathname, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      body: new FormData(form)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, redirected: response.redirected };
      });
    }).then(function (res) {
      inFlight = false;
      var data = res.data || {};
      if (submitAfter) {
        // "Save" waited for this autosave: post the form with the revision it made.
        if (res.status === 200 && data.status === "saved") { revision.value = data.revision; }
        form.submit();
        return;
      }
      if (res.status === 200 && data.status === "saved") {
        revision.value = data.revision;
        showPartState(data.state);
        if (again) { save(0); return; }
        dirty = false;
        show("saved", "Saved at " + clock() + ".");
      } else if (data.status === "stale") {
        show("stale", data.message);
      } else if (data.status === "invalid") {
        show("error-final", describe(data.errors || []));
      } else if (res.redirected) {
        // Sent to the login page: the session ended (two hours idle). Retrying cannot help,
        // and logging in again gives this page a new CSRF token only on reload.
        show("error-final", "Not saved: you are no longer logged in. Copy what you typed, " +
          "reload this page, log in again and paste it.");
      } else {
        throw new Error("HTTP " + res.status);
      }
    }).catch(function () {
      inFlight = false;
      if (submitAfter) { form.submit(); return; }
      show("error", "Not saved — retry.", true);
      // Until it is stored, as the questionnaire's answers: a restart, a deploy or a lost
      // connection can outlast any fixed number of tries, and an owner who walked away
      // would lose the text. After the back-off, every 20 s; only a refusal stops the tries.
      var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
      timer = setTimeout(function () { save(attempt + 1); }, delay);
    });
  }

  function changed() {
    dirty = true;
    show("pending", "Not saved yet…");
    clearTimeout(timer);
    timer = setTimeout(function () { save(0); }, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    submitting = true;
    clearTimeout(timer);
    // An autosave on its way would make this post's revision stale: send it after.
    if (inFlight) {
      event.preventDefault();
      submitAfter = true;
      show("saving", "Saving…");
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
