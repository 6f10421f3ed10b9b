// Import progress: poll the job's JSON status and update the bar; reload once the job stops running,
// so the page shows the check's results or the import's outcome. Without JavaScript, <noscript> refreshes.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.dataset.running !== "1") return;
  var bar = document.getElementById("import-progress");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "en");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (bar) { bar.value = data.percent; bar.textContent = numbers.format(data.percent) + "%"; }
        set("percent", numbers.format(data.percent));
        set("rows", numbers.format(data.rows));
        set("status_display", data.status_display);
        if (data.running) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
