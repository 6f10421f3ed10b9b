// Incident mini-map: a marker at the incident and a circle for its location precision.
(function () {
  "use strict";
  var el = document.getElementById("minimap");
  if (!el || typeof L === "undefined") return;
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng), radius = parseFloat(el.dataset.radius);
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 13);
  // The offline basemap (borders, governorates, towns), with the tiles of MAP_TILE_URL or MAP_PMTILES_PATH over it.
  if (window.verifyBasemap) window.verifyBasemap(map, el);
  var circle = L.circle([lat, lng], { radius: radius, color: "#b42318", weight: 1, fillOpacity: 0.1 }).addTo(map);
  L.marker([lat, lng]).addTo(map);
  var bounds = circle.getBounds();
  // Photos whose EXIF carries a GPS position (issue 3), with their distance from the incident.
  var positions = document.getElementById("evidence-positions");
  if (positions) {
    JSON.parse(positions.textContent).forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], { radius: 6, color: "#1f4e79", weight: 2, fillOpacity: 0.7 }).addTo(map);
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      link.dir = "auto";
      popup.appendChild(link);
      if (p.distance) {
        var taken = interpolate(gettext("photo taken %(distance)s from the incident"), { distance: p.distance }, true);
        popup.appendChild(document.createTextNode(" · " + taken));
      }
      marker.bindPopup(popup);
      L.polyline([[lat, lng], [p.lat, p.lng]], { color: "#1f4e79", weight: 1, dashArray: "4 4" }).addTo(map);
      bounds.extend([p.lat, p.lng]);
    });
  }
  map.fitBounds(bounds, { maxZoom: 15 });
})();
