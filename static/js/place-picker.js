// The place picker: turns a gazetteer drop-down (select.place-picker) into a combobox that searches every
// spelling, Arabic included, through the gazetteer's search endpoint (WAI-ARIA 1.2 combobox with a listbox
// popup). The hidden select still carries the value that is posted; without this script it is the field.
// Choosing a place also sets the form's coordinates and precision from the gazetteer, when the form has them.
(function () {
  "use strict";
  var PRECISION_BY_KIND = { governorate: "governorate", city: "town", locality: "town", site: "neighbourhood" };
  var seq = 0;

  function sibling(select, name) {
    // The field of the same form with the same prefix ("s0-place" → "s0-latitude").
    return select.form ? select.form.elements.namedItem(select.name.replace(/place$/, name)) : null;
  }

  function setField(field, value) {
    if (!field || field.tagName === undefined) return;
    field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The name in the page's script first (Arabic on an Arabic page), the other spelling, then the governorate.
  function optionParts(place) {
    var names = [place.name];
    if (place.name_ar && place.name_ar !== place.name) {
      if (document.documentElement.lang === "ar") names.unshift(place.name_ar); else names.push(place.name_ar);
    }
    if (place.governorate && place.kind !== "governorate") names.push("(" + place.governorate + ")");
    return names;
  }

  function optionText(place) {
    return optionParts(place).join(" ");
  }

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    seq += 1;
    var listId = "place-options-" + seq;
    var wrap = document.createElement("div");
    wrap.className = "place-combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = (select.id || "place") + "_search";
    input.dir = "auto";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    var list = document.createElement("div");  // not a ul: form lists of choices are laid out in a row
    list.id = listId;
    list.className = "place-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "helptext place-status";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) label.id = input.id + "_label";
      list.setAttribute("aria-labelledby", label.id);
    }
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    if (select.value) input.value = select.options[select.selectedIndex].text;

    var results = [], active = -1, timer = null, request = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      if (!items.length) return;
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render() {
      list.textContent = "";
      results.forEach(function (place, i) {
        var li = document.createElement("div");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        optionParts(place).forEach(function (part, j) {
          if (j) li.appendChild(document.createTextNode(j === 1 ? " · " : " "));
          var bdi = document.createElement("bdi");
          bdi.textContent = part;  // text only: names are never parsed as HTML
          li.appendChild(bdi);
        });
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(place); });
        list.appendChild(li);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = input.value.trim()
        ? (results.length
          ? interpolate(ngettext("%s place found: use the arrow keys to choose.", "%s places found: use the arrow keys to choose.", results.length), [results.length])
          : gettext("No place found in the gazetteer. Check the spelling, or add the place to the gazetteer."))
        : "";
    }

    function choose(place) {
      var value = String(place.id);
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      if (!option) {
        option = new Option(place.label, value);
        select.add(option);
      }
      select.value = value;
      input.value = option.text;
      close();
      status.textContent = interpolate(gettext("Chosen: %(place)s"), { place: optionText(place) }, true);
      setField(sibling(select, "latitude"), place.latitude.toFixed(6));
      setField(sibling(select, "longitude"), place.longitude.toFixed(6));
      var precision = sibling(select, "location_precision");
      if (precision && PRECISION_BY_KIND[place.kind]) setField(precision, PRECISION_BY_KIND[place.kind]);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function search() {
      var q = input.value.trim();
      var mine = ++request;
      if (!q) { results = []; render(); return; }
      fetch(select.dataset.searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { if (mine === request) { results = data.results; render(); } })
        .catch(function () { status.textContent = gettext("Could not search the gazetteer. Try again."); });
    }

    input.addEventListener("input", function () {
      // Typing unchooses: a half-typed name never posts the previous place.
      if (select.value) { select.value = ""; select.dispatchEvent(new Event("change", { bubbles: true })); }
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { if (results.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { search(); return; } }
        highlight(active + (e.key === "ArrowDown" ? 1 : (active < 0 ? 0 : -1)));
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) { e.preventDefault(); choose(results[active]); }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
        else if (input.value) { e.preventDefault(); input.value = ""; select.value = ""; status.textContent = ""; }
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (input.value.trim() && !select.value) status.textContent = gettext("No place chosen: pick one from the suggestions.");
    });
  }

  function init(root) {
    (root || document).querySelectorAll("select.place-picker").forEach(enhance);
  }

  window.verifyPlaces = { init: init };
  init(document);
})();
