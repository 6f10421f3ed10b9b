// The main map's evidence layer: photos and videos with a GPS position, each joined to its incident by a dashed
// line with the distance, under the same filters as the incidents. Loaded before map.js: a Leaflet init hook
// picks up the incident map when map.js creates it, so map.js itself needs no change.
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var toggleBox = document.querySelector("[data-evidence-url]");
  if (!toggleBox) return;
  var url = toggleBox.dataset.evidenceUrl;
  var checkbox = document.getElementById("map-evidence-layer");
  var status = document.getElementById("map-evidence-status");
  var fmt = window.interpolate || function (s, args) { return s.replace("%s", args[0]); };

  L.Map.addInitHook(function () {
    if (this.getContainer().id !== "incident-map") return;
    var map = this;
    var layer = L.layerGroup();
    var controller = null;
    if (checkbox.checked) layer.addTo(map);

    function text(tag, value, className) {
      var el = document.createElement(tag);
      el.textContent = value;
      if (className) el.className = className;
      return el;
    }

    function popup(p) {
      var box = text("div", "", "map-popup evidence-popup");
      var title = text("a", p.title);
      title.href = p.url;
      title.setAttribute("dir", "auto");
      box.appendChild(title);
      if (p.thumbnail) {
        var img = document.createElement("img");
        img.src = p.thumbnail;
        img.alt = "";
        img.className = "thumb-small";
        box.appendChild(document.createElement("br"));
        box.appendChild(img);
      }
      var incident = text("a", p.incident);
      incident.href = p.incident_url;
      var line = document.createElement("p");
      line.appendChild(document.createTextNode(gettext("Evidence of") + " "));
      line.appendChild(incident);
      if (p.distance) line.appendChild(document.createTextNode(" · " + fmt(gettext("%s from the incident"), [p.distance])));
      box.appendChild(line);
      return box;
    }

    function draw(data) {
      layer.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties;
        var at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var marker = L.marker(at, {
          icon: L.divIcon({ className: "evidence-marker evidence-" + p.kind, iconSize: [12, 12] }),
          title: p.title,
          keyboard: true,
        });
        marker.bindPopup(popup(p));
        layer.addLayer(marker);
        if (p.incident_position) {
          var to = [p.incident_position[1], p.incident_position[0]];
          var line = L.polyline([at, to], { className: "evidence-line", dashArray: "4 4", weight: 2 });
          if (p.distance) line.bindTooltip(p.distance, { sticky: true });
          layer.addLayer(line);
        }
      });
      var n = data.features.length;
      status.textContent = n
        ? fmt(gettext("%s shown"), [n]) + (data.truncated ? " " + gettext("(the most recent only)") : "")
        : gettext("none under these filters");
    }

    function load() {
      if (!checkbox.checked) return;
      var form = document.getElementById("incident-filters");
      var params = form ? new URLSearchParams(new FormData(form)) : new URLSearchParams(location.search);
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(draw)
        .catch(function (err) {
          if (err.name !== "AbortError") status.textContent = gettext("The evidence layer could not load.");
        });
    }

    checkbox.addEventListener("change", function () {
      if (checkbox.checked) {
        layer.addTo(map);
        load();
      } else {
        map.removeLayer(layer);
        status.textContent = "";
      }
    });
    var form = document.getElementById("incident-filters");
    if (form) {
      form.addEventListener("filters:changed", load);
    }
    map.whenReady(load);
  });
})();
