// Case-file progress: poll the request's JSON status, update the bar, reload once the build is over.
(function () {
  "use strict";
  var box = document.getElementById("casefile-status");
  if (!box || box.dataset.running !== "1") return;
  var bar = document.getElementById("casefile-progress");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
        set("percent", data.percent);
        set("status_display", data.status_display);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 800);
})();
