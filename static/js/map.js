// The incident map: markers coloured by final or suggested grade, clusters ringed with the mix of their colours,
// incidents at the same spot spread out (spiderfied) when their group is selected, precision circles for the single
// incidents in view, server clusters for large results, and the filter panel kept in sync with the URL. The basemap
// (static/js/basemap.js) works offline; tiles, if set, are drawn over it.
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  var form = document.getElementById("incident-filters");
  if (!el || !form || typeof L === "undefined") return;
  var status = document.getElementById("map-status");
  var SYRIA = [[32.3, 35.6], [37.4, 42.4]];
  var CIRCLE_ZOOM = 10;
  // The page's language. Django's English shows day-month-year, so English dates use en-GB here too.
  var LANG = document.documentElement.lang || "en";
  var LOCALE = LANG === "en" ? "en-GB" : LANG;
  var numbers = new Intl.NumberFormat(LOCALE);
  // In a right-to-left page a figure range such as "34–49" must stay left to right (else it reads "49–34").
  var RTL = document.documentElement.dir === "rtl";
  function ltr(text) {
    return RTL ? "\u2066" + text + "\u2069" : text;
  }
  var dates = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  // Grade labels in the reader's language, from the legend the server rendered.
  var gradeLabels = {};
  document.querySelectorAll(".map-legend [data-grade]").forEach(function (li) {
    gradeLabels[li.dataset.grade] = li.textContent.trim();
  });

  var colourSelect = document.getElementById("map-colour");
  var unlocatedBox = document.getElementById("map-unlocated");
  var GRADES = Object.keys(gradeLabels);
  // The colour of each grade, read from the stylesheet (the legend's swatches), for the clusters' rings.
  var gradeColours = {};
  document.querySelectorAll(".map-legend [data-grade] .swatch").forEach(function (swatch) {
    gradeColours[swatch.parentNode.dataset.grade] = getComputedStyle(swatch).backgroundColor;
  });

  function colourBy() {
    return colourSelect && colourSelect.value === "suggested" ? "suggested" : "grade";
  }

  var map = L.map(el, { minZoom: 3, maxZoom: 18 });
  map.fitBounds(SYRIA);
  if (window.verifyBasemap) window.verifyBasemap(map, el);
  // No disableClusteringAtZoom: incidents at the same coordinates (every town-precision incident sits on its
  // town's centre) stay one group at any zoom, and selecting the group spreads them out so each can be opened.
  var markers = L.markerClusterGroup({
    maxClusterRadius: function (zoom) {
      return zoom >= 13 ? 20 : 40;
    },
    spiderfyOnMaxZoom: true,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var mix = {};
      cluster.getAllChildMarkers().forEach(function (m) {
        mix[m.colourGrade] = (mix[m.colourGrade] || 0) + 1;
      });
      return clusterIcon(cluster.getChildCount(), mix);
    },
  });
  var serverClusters = L.layerGroup();
  var circles = L.layerGroup();
  map.addLayer(circles).addLayer(markers).addLayer(serverClusters);

  var features = [];
  var signature = "";
  var openRef = null;
  var firstLoad = true;
  var pending = null;
  var timer = null;

  // A group's marker: its count on a ring whose arcs are the share of each grade among its incidents. Built with
  // the DOM and CSSOM (no inline style attribute: the CSP forbids it).
  function clusterIcon(count, mix) {
    var size = count < 10 ? 32 : count < 100 ? 38 : count < 1000 ? 44 : 52;
    var ring = document.createElement("div");
    ring.className = "map-cluster-ring";
    var stops = [];
    var at = 0;
    GRADES.forEach(function (g) {
      if (!mix[g]) return;
      var end = at + (mix[g] / count) * 100;
      stops.push((gradeColours[g] || "#1f4e79") + " " + at.toFixed(2) + "% " + end.toFixed(2) + "%");
      at = end;
    });
    if (stops.length) ring.style.background = "conic-gradient(" + stops.join(", ") + ")";
    ring.dataset.grades = GRADES.filter(function (g) {
      return mix[g];
    }).join(" ");
    var label = document.createElement("span");
    label.textContent = numbers.format(Number(count));
    ring.appendChild(label);
    return L.divIcon({ html: ring, className: "map-cluster", iconSize: [size, size] });
  }

  function filterParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    return params;
  }

  function syncUrl() {
    var qs = filterParams().toString();
    var suffix = qs ? "?" + qs : "";
    history.replaceState(null, "", location.pathname + suffix);
    document.querySelectorAll("[data-export], [data-list-link]").forEach(function (a) {
      a.href = a.getAttribute("href").split("?")[0] + suffix;
    });
  }

  function load() {
    var params = filterParams();
    params.set("bbox", map.getBounds().toBBoxString());
    params.set("zoom", String(map.getZoom()));
    params.set("colour", colourBy());
    if (pending) pending.abort();
    pending = new AbortController();
    status.textContent = gettext("Loading…");
    fetch(el.dataset.url + "?" + params.toString(), {
      signal: pending.signal,
      credentials: "same-origin",
      headers: { Accept: "application/geo+json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || response.statusText);
          return data;
        });
      })
      .then(render)
      .catch(function (err) {
        if (err.name !== "AbortError") {
          status.textContent = interpolate(gettext("The map could not load the incidents: %(error)s"), { error: err.message }, true);
        }
      });
  }

  function scheduleLoad() {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  }

  function describe(data) {
    var n = data.total;
    var text = data.clustered
      ? ngettext(
          "%(count)s incident in view, grouped by area: zoom in or select a group to see single incidents.",
          "%(count)s incidents in view, grouped by area: zoom in or select a group to see single incidents.",
          n
        )
      : ngettext("%(count)s incident in view.", "%(count)s incidents in view.", n);
    return interpolate(text, { count: numbers.format(n) }, true);
  }

  // "12 more have no location", linking to them in the list (same filters, no coordinates).
  function showUnlocated(n) {
    if (!unlocatedBox) return;
    unlocatedBox.textContent = "";
    unlocatedBox.hidden = !n;
    if (!n) return;
    var params = filterParams();
    params.set("located", "false");
    var link = node(
      "a",
      interpolate(ngettext("%(count)s more has no location", "%(count)s more have no location", n), { count: numbers.format(n) }, true)
    );
    link.href = unlocatedBox.dataset.listUrl + "?" + params.toString();
    unlocatedBox.appendChild(link);
  }

  function render(data) {
    status.textContent = describe(data);
    showUnlocated(data.unlocated || 0);
    var sig = colourBy() + (data.clustered ? "c" + data.cell_degrees : "i") + ":" + data.features.map(function (f) {
      return f.id || f.geometry.coordinates.join(",") + "/" + f.properties.count;
    }).join("|");
    if (sig === signature) return; // same incidents: keep the markers (and any open popup) as they are
    signature = sig;
    markers.clearLayers();
    serverClusters.clearLayers();
    features = data.clustered ? [] : data.features;
    if (data.clustered) {
      data.features.forEach(function (f) {
        serverClusters.addLayer(serverCluster(f));
      });
    } else {
      markers.addLayers(features.map(incidentMarker));
    }
    drawCircles();
    if (openRef) reopen(openRef);
    if (firstLoad) {
      firstLoad = false;
      // Open on the incidents themselves (a shared link to a filtered map shows what it is about).
      if (features.length) map.fitBounds(L.latLngBounds(features.map(latLng)).pad(0.2), { maxZoom: 12 });
    }
  }

  function latLng(feature) {
    return [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
  }

  function incidentMarker(feature) {
    var p = feature.properties;
    var suggested = colourBy() === "suggested";
    var colour = suggested ? p.suggested : p.grade;
    var title = p.reference + ", " + p.grade_label;
    // Translators: a map marker's name when markers are coloured by suggested grade, e.g. "…, suggested: Contested".
    if (suggested) title += gettext(", suggested: ") + p.suggested_label;
    var marker = L.marker(latLng(feature), {
      icon: L.divIcon({ className: "incident-marker grade-dot-" + colour, iconSize: [16, 16] }),
      title: title,
      keyboard: true,
    });
    marker.reference = p.reference;
    marker.colourGrade = colour;
    marker.feature = feature;
    marker.bindPopup(function () {
      return popup(p);
    });
    marker.on("popupopen", function () {
      openRef = p.reference;
    });
    marker.on("popupclose", function () {
      if (openRef === p.reference) openRef = null;
    });
    return marker;
  }

  function reopen(reference) {
    markers.eachLayer(function (m) {
      if (m.reference === reference && markers.getVisibleParent(m) === m) m.openPopup();
    });
  }

  function node(tag, text, className) {
    var n = document.createElement(tag);
    if (text) n.textContent = text;
    if (className) n.className = className;
    return n;
  }

  function formatDate(iso) {
    if (!iso) return gettext("Date unknown");
    return dates.format(new Date(iso + "T00:00:00Z"));
  }

  function popup(p) {
    var box = node("div", "", "map-popup");
    var head = node("p");
    var link = node("a", p.reference);
    link.href = p.url;
    head.appendChild(link);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(node("span", p.grade_label, "badge grade-" + p.grade));
    box.appendChild(head);
    var suggestion = node("p", "", "small");
    suggestion.appendChild(document.createTextNode(gettext("Suggested grade:") + " "));
    suggestion.appendChild(node("span", p.suggested_label, "badge grade-" + p.suggested));
    box.appendChild(suggestion);
    var flags = [];
    if (p.disagreements) flags.push(gettext("Claims disagree"));
    if (p.denied_by_party) flags.push(gettext("Denied by a party to the conflict"));
    if (flags.length) {
      var flagBox = node("p", "", "popup-flags");
      flags.forEach(function (f) {
        flagBox.appendChild(node("span", f, "flag"));
      });
      box.appendChild(flagBox);
    }
    var title = node("p", p.title, "popup-title");
    title.dir = "auto";
    box.appendChild(title);
    var when = formatDate(p.date);
    if (p.date_end && p.date_end !== p.date) when += " – " + formatDate(p.date_end);
    box.appendChild(node("p", when));
    var counts = [];
    if (p.killed) counts.push(interpolate(gettext("%(figure)s killed"), { figure: ltr(p.killed) }, true));
    if (p.injured) counts.push(interpolate(gettext("%(figure)s injured"), { figure: ltr(p.injured) }, true));
    // Only claims that affirm the attack count towards the figures: a denial's figures never do.
    var affirming = interpolate(
      ngettext("%(count)s affirming claim", "%(count)s affirming claims", p.figure_claims),
      { count: numbers.format(p.figure_claims) },
      true
    );
    var claims = interpolate(ngettext("%(count)s claim", "%(count)s claims", p.claims), { count: numbers.format(p.claims) }, true);
    // Translators: the separator between items of a list, e.g. "34–49 killed, 20 injured".
    var figures = counts.join(gettext(", "));
    box.appendChild(
      node("p", counts.length ? interpolate(gettext("%(figures)s according to %(claims)s"), { figures: figures, claims: affirming }, true) : claims)
    );
    if (p.disputing) {
      box.appendChild(
        node("p", interpolate(ngettext("%(count)s claim disputes it", "%(count)s claims dispute it", p.disputing), { count: numbers.format(p.disputing) }, true), "small muted")
      );
    }
    var open = node("a", gettext("Open the incident"));
    open.href = p.url;
    box.appendChild(open);
    return box;
  }

  function serverCluster(feature) {
    var p = feature.properties;
    var parts = Object.keys(p.grades).map(function (g) {
      // Translators: a number of incidents and their grade in a map cluster's description, e.g. "3 Fair".
      return interpolate(gettext("%(count)s %(grade)s"), { count: numbers.format(p.grades[g]), grade: gradeLabels[g] || g }, true);
    });
    var marker = L.marker(latLng(feature), {
      icon: clusterIcon(p.count, p.grades),
      title: interpolate(
        ngettext("%(count)s incident (%(grades)s): select to zoom in", "%(count)s incidents (%(grades)s): select to zoom in", p.count),
        { count: numbers.format(p.count), grades: parts.join(gettext(", ")) },
        true
      ),
      keyboard: true,
    });
    marker.on("click", function () {
      var b = p.bounds;
      var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), map.getZoom() + 3);
      else map.fitBounds(bounds.pad(0.1));
    });
    return marker;
  }

  // A precision circle for each incident shown on its own in view (not for those inside a group), once zoomed in.
  function drawCircles() {
    circles.clearLayers();
    if (map.getZoom() < CIRCLE_ZOOM) return;
    var view = map.getBounds();
    markers.eachLayer(function (m) {
      var f = m.feature;
      if (!f || !f.properties.radius_m || markers.getVisibleParent(m) !== m) return;
      if (!view.intersects(L.latLng(latLng(f)).toBounds(2 * f.properties.radius_m))) return;
      circles.addLayer(
        L.circle(latLng(f), {
          radius: f.properties.radius_m,
          className: "precision-circle grade-ring-" + m.colourGrade,
          interactive: false,
        })
      );
    });
  }

  function filtersChanged() {
    syncUrl();
    signature = "";
    load();
    form.dispatchEvent(new CustomEvent("filters:changed"));
  }

  form.addEventListener("change", filtersChanged);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    filtersChanged();
  });
  if (colourSelect) {
    colourSelect.addEventListener("change", function () {
      signature = "";
      load();
    });
  }
  map.on("moveend", scheduleLoad);
  map.on("moveend zoomend", drawCircles);
  markers.on("animationend spiderfied unspiderfied", drawCircles);
  load();
})();
