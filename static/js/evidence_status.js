// While items on the page are still being processed, ask for their status every few seconds and update the badges.
// The upload script re-reads the incident's evidence list when uploads finish ("evidence:refreshed"): the new
// badges are then watched in turn.
(function () {
  "use strict";
  var WAITING = { pending: true, processing: true };
  var badges = [], url = "", rounds = 0, running = false;

  function start() {
    badges = Array.prototype.slice.call(document.querySelectorAll("[data-evidence-status]"));
    if (!badges.length) return;
    url = badges[0].dataset.statusUrl;
    rounds = 0;
    if (!running) { running = true; window.setTimeout(poll, 2000); }
  }

  function waiting() {
    return badges.filter(function (b) { return WAITING[b.dataset.status]; });
  }

  function poll() {
    var open = waiting();
    if (!open.length || rounds++ > 200) { running = false; return; }
    var query = open.map(function (b) { return "id=" + encodeURIComponent(b.dataset.evidenceStatus); }).join("&");
    fetch(url + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) {
        var finished = false;
        open.forEach(function (badge) {
          var now = data[badge.dataset.evidenceStatus];
          if (!now || now.status === badge.dataset.status) return;
          badge.dataset.status = now.status;
          badge.className = "badge processing-" + now.status;
          badge.textContent = now.label;
          if (!WAITING[now.status]) finished = true;
        });
        if (finished && !document.querySelector(".status-reload")) {
          var note = document.createElement("p");
          note.className = "status-reload";
          note.setAttribute("role", "status");
          var link = document.createElement("a");
          link.href = window.location.pathname + window.location.search;
          link.textContent = gettext("Processing finished: reload to see the extracted metadata");
          note.appendChild(link);
          var section = badges[0].closest("section, main");
          var heading = section.querySelector("h1, h2");
          if (heading) heading.after(note); else section.prepend(note);
        }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 3000); });
  }
  document.addEventListener("evidence:refreshed", start);
  start();
})();
