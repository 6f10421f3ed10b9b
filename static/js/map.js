// The incident map: markers coloured by grade, precision circles when zoomed in, server clusters for large
// results, and the filter panel kept in sync with the URL. Nothing depends on the tiles: with no tile URL (or
// offline) the map is a blank background with the same markers.
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

  var map = L.map(el, { minZoom: 3, maxZoom: 18 });
  map.fitBounds(SYRIA);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var markers = L.markerClusterGroup({
    maxClusterRadius: 40,
    disableClusteringAtZoom: 12,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      return clusterIcon(cluster.getChildCount());
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

  function clusterIcon(count) {
    var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
    return L.divIcon({ html: "<span>" + numbers.format(Number(count)) + "</span>", className: "map-cluster", iconSize: [size, size] });
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

  function render(data) {
    status.textContent = describe(data);
    var sig = (data.clustered ? "c" + data.cell_degrees : "i") + ":" + data.features.map(function (f) {
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
    var marker = L.marker(latLng(feature), {
      icon: L.divIcon({ className: "incident-marker grade-dot-" + p.grade, iconSize: [16, 16] }),
      title: p.reference + ", " + p.grade_label,
      keyboard: true,
    });
    marker.reference = p.reference;
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
    var title = node("p", p.title, "popup-title");
    title.dir = "auto";
    box.appendChild(title);
    var when = formatDate(p.date);
    if (p.date_end && p.date_end !== p.date) when += " – " + formatDate(p.date_end);
    box.appendChild(node("p", when));
    var counts = [];
    if (p.killed) counts.push(interpolate(gettext("%(figure)s killed"), { figure: ltr(p.killed) }, true));
    if (p.injured) counts.push(interpolate(gettext("%(figure)s injured"), { figure: ltr(p.injured) }, true));
    var claims = interpolate(ngettext("%(count)s claim", "%(count)s claims", p.claims), { count: numbers.format(p.claims) }, true);
    // Translators: the separator between items of a list, e.g. "34–49 killed, 20 injured".
    var figures = counts.join(gettext(", "));
    box.appendChild(
      node("p", counts.length ? interpolate(gettext("%(figures)s according to %(claims)s"), { figures: figures, claims: claims }, true) : claims)
    );
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
      icon: clusterIcon(p.count),
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

  function drawCircles() {
    circles.clearLayers();
    if (map.getZoom() < CIRCLE_ZOOM) return;
    features.forEach(function (f) {
      if (!f.properties.radius_m) return;
      circles.addLayer(
        L.circle(latLng(f), {
          radius: f.properties.radius_m,
          className: "precision-circle grade-ring-" + f.properties.grade,
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
  map.on("moveend", scheduleLoad);
  map.on("zoomend", drawCircles);
  load();
})();
