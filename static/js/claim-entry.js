// Claim entry on the incident page: a source autocomplete over the register, and saving without leaving the
// page. The server renders the whole claims panel (matrix, summary, suggestion, form with any errors) and this
// script swaps it in. Without the script the same form posts normally and the full-page form shows errors.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function initSourceSearch(form) {
    var select = form.querySelector("select[name=source]");
    var box = form.querySelector(".source-search");
    if (!select || !box) return;
    var input = box.querySelector("input");
    var list = box.querySelector("datalist");
    var status = box.querySelector("[aria-live]");
    var found = {};  // name -> result

    // The search replaces the long select; the select still carries the value that is posted.
    box.hidden = false;
    select.closest(".field").hidden = true;
    if (select.value) input.value = select.options[select.selectedIndex].text;

    function choose() {
      var name = input.value.trim();
      var match = found[name.toLowerCase()];
      if (!match) {
        for (var i = 0; i < select.options.length; i++) {
          if (select.options[i].value && select.options[i].text.toLowerCase() === name.toLowerCase()) {
            match = { id: select.options[i].value, name: select.options[i].text };
          }
        }
      }
      if (match) {
        select.value = String(match.id);
        status.textContent = match.reliability
          ? interpolate(gettext("Selected: %(name)s (reliability %(reliability)s)"), { name: match.name, reliability: match.reliability }, true)
          : interpolate(gettext("Selected: %(name)s"), { name: match.name }, true);
      } else {
        select.value = "";
        status.textContent = name ? gettext("Not in the register: pick a suggestion, or create it as a new source below.") : "";
      }
    }

    var lookup = debounce(function (q) {
      var url = form.dataset.lookup + "?q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.results.forEach(function (s) {
            found[s.name.toLowerCase()] = s;
            var option = document.createElement("option");
            option.value = s.name;  // text only: names are never parsed as HTML
            option.label = s.kind + " · " + s.reliability + (s.party_to_conflict ? " · " + gettext("party to the conflict") : "");
            list.appendChild(option);
          });
          choose();
        })
        .catch(function () { status.textContent = gettext("Could not look up sources; the list below still works."); });
    }, 200);

    input.addEventListener("input", function () { choose(); lookup(input.value.trim()); });
    input.addEventListener("change", choose);
  }

  function swapPanel(html, focusSelector) {
    var panel = document.getElementById("claims-panel");
    var template = document.createElement("template");
    template.innerHTML = html.trim();  // our own server-rendered, auto-escaped template
    var fresh = template.content.querySelector("#claims-panel");
    if (!panel || !fresh) return false;
    panel.replaceWith(fresh);
    init();
    var target = fresh.querySelector(focusSelector);
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
    return true;
  }

  function initSubmit(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector("#claim-entry-status");
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = gettext("Saving…");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "claim-entry" },
      })
        .then(function (response) {
          return response.text().then(function (text) { return { ok: response.ok, status: response.status, text: text }; });
        })
        .then(function (result) {
          if ((result.ok || result.status === 422) && swapPanel(result.text, result.ok ? ".notice" : "#claim-entry-errors")) return;
          button.disabled = false;
          status.textContent = interpolate(gettext("The claim could not be saved (error %(status)s). Your entries are kept."), { status: result.status }, true);
        })
        .catch(function () {
          button.disabled = false;
          status.textContent = gettext("Could not reach the server. Your entries are kept; try again.");
        });
    });
  }

  function initForm() {
    var form = document.getElementById("claim-entry-form");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    initSourceSearch(form);
    if (window.verifyPlaces) window.verifyPlaces.init(form);
    initSubmit(form);
  }

  // The form itself is fetched the first time the section is opened.
  function loadForm(slot) {
    if (slot.dataset.loading) return;
    slot.dataset.loading = "1";
    fetch(slot.dataset.src, { credentials: "same-origin", headers: { "X-Requested-With": "claim-entry" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();  // our own server-rendered, auto-escaped template
        slot.replaceWith(template.content);
        initForm();
        var first = document.querySelector("#claim-source-search");
        if (first) first.focus();
      })
      .catch(function () { delete slot.dataset.loading; });  // the link to the full-page form remains
  }

  function init() {
    var entry = document.getElementById("claim-entry");
    if (!entry) return;
    var slot = document.getElementById("claim-entry-slot");
    if (slot) {
      if (entry.open) loadForm(slot);
      entry.addEventListener("toggle", function () { if (entry.open) loadForm(slot); });
    }
    initForm();
  }

  // The page's "Add a claim" button opens the form here instead of going to the full-page form.
  var headerLink = document.querySelector('.head-actions a[href$="/claims/new/"]');
  if (headerLink) {
    headerLink.addEventListener("click", function (event) {
      var entry = document.getElementById("claim-entry");
      if (!entry) return;
      event.preventDefault();
      entry.open = true;
      entry.scrollIntoView({ block: "start" });
      var first = entry.querySelector("#claim-source-search");
      if (first) first.focus();
    });
  }

  init();
})();
