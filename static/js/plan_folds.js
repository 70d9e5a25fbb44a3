/*
 * The plan page draws only its open folds' actions (templates/partials/action_plan/_fold.html).
 * Opening a closed fold fetches the same page with that fold open (its "Show" link, ?fold=KEY)
 * and puts the fold's lines in place of the link, so the fold opens where the owner is
 * instead of reloading the page. If the fetch fails, the link stays, with a word on why.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }

  function load(fold) {
    var holder = fold.querySelector("[data-fold-link]");
    if (!fold.open || !holder || holder.hasAttribute("aria-busy")) { return; }
    var link = holder.querySelector("a");
    holder.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var lines = page.querySelector("#" + fold.id + " [data-fold-lines]");
        if (!lines) { throw new Error("no lines"); }
        holder.replaceWith(document.importNode(lines, true));
      })
      .catch(function () {
        holder.removeAttribute("aria-busy");
        var why = holder.querySelector("[data-fold-error]") || document.createElement("span");
        why.setAttribute("data-fold-error", "");
        why.className = "ms-2 text-danger-emphasis";
        why.textContent = "These actions could not be loaded here: the link opens them.";
        holder.appendChild(why);
      });
  }

  document.querySelectorAll("details.plan-fold").forEach(function (fold) {
    fold.addEventListener("toggle", function () { load(fold); });
  });
}());
