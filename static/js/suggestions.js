// Claim suggestions: add a source that the report names and the register lacks, without leaving the page. The new
// source is added to every suggestion's source list and chosen in each suggestion that names it.
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.dataset.url;
  var form = document.getElementById("suggestions-form");
  if (!url || !form) return;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_, key) { return obj[key]; });
  };

  function addOption(source) {
    form.querySelectorAll("select[name$='-source']").forEach(function (select) {
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === String(source.pk); });
      if (!known) select.add(new Option(source.name, source.pk));
    });
  }

  function choose(name, source) {
    form.querySelectorAll(".inline-source").forEach(function (box) {
      if (box.dataset.name !== name) return;
      var select = document.getElementById(box.dataset.select);
      if (select) select.value = String(source.pk);
      box.querySelector(".inline-source-add").disabled = true;
      box.querySelector(".inline-source-kind").disabled = true;
      box.querySelector(".inline-source-status").textContent = source.created
        ? interpolate(gettext("Added “%(name)s” to the register and chose it."), { name: source.name }, true)
        : interpolate(gettext("“%(name)s” is already in the register: chosen."), { name: source.name }, true);
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest(".inline-source-add");
    if (!button) return;
    var box = button.closest(".inline-source");
    var status = box.querySelector(".inline-source-status");
    var body = new FormData();
    body.append("name", box.dataset.name);
    body.append("kind", box.querySelector(".inline-source-kind").value);
    button.disabled = true;
    status.textContent = gettext("Adding…");
    fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) {
          var errors = result.data.errors || {};
          var first = Object.keys(errors).map(function (k) { return errors[k][0].message; })[0];
          status.textContent = first || gettext("The source could not be added.");
          button.disabled = false;
          return;
        }
        addOption(result.data);
        choose(box.dataset.name, result.data);
      })
      .catch(function () {
        status.textContent = gettext("The source could not be added: check your connection and try again.");
        button.disabled = false;
      });
  });
})();
