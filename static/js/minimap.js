// Incident mini-map: a marker at the incident and a circle for its location precision.
(function () {
  "use strict";
  var el = document.getElementById("minimap");
  if (!el || typeof L === "undefined") return;
  var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng), radius = parseFloat(el.dataset.radius);
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], 13);
  // Tiles from settings.MAP_TILE_URL; none (a blank background) when it is empty.
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var circle = L.circle([lat, lng], { radius: radius, color: "#b42318", weight: 1, fillOpacity: 0.1 }).addTo(map);
  L.marker([lat, lng]).addTo(map);
  map.fitBounds(circle.getBounds(), { maxZoom: 15 });
})();
