// A small map under a form's coordinates: click or drag the marker to set latitude and longitude; the precision
// follows the zoom (a point placed on a whole-country view is not "exact"). Typing in the fields, choosing a
// place or changing the precision moves the marker and its circle. Layers come from verifyBasemap (basemap.js).
(function () {
  "use strict";
  var SYRIA = [[32.3, 35.6], [37.4, 42.4]];

  function precisionForZoom(zoom) {
    if (zoom >= 18) return "exact";
    if (zoom >= 16) return "within_100m";
    if (zoom >= 14) return "neighbourhood";
    if (zoom >= 11) return "town";
    if (zoom >= 9) return "district";
    return "governorate";
  }

  function enhance(box) {
    if (box.dataset.enhanced || typeof L === "undefined") return;
    box.dataset.enhanced = "1";
    var lat = document.getElementById(box.dataset.latId);
    var lng = document.getElementById(box.dataset.lngId);
    var precision = box.dataset.precisionId ? document.getElementById(box.dataset.precisionId) : null;
    if (!lat || !lng) return;
    var radii = JSON.parse(box.dataset.radii);
    box.hidden = false;
    var el = box.querySelector(".point-picker-map");
    var map = L.map(el, { scrollWheelZoom: false, minZoom: 3, maxZoom: 18 });
    window.verifyBasemap(map, el);
    var marker = null, circle = null;

    function current() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (isNaN(a) || isNaN(b) || Math.abs(a) > 90 || Math.abs(b) > 180) return null;
      return L.latLng(a, b);
    }

    function radius() {
      return precision && radii[precision.value] ? radii[precision.value] : 0;
    }

    function draw(fit) {
      var point = current();
      if (!point) {
        if (marker) { map.removeLayer(marker); map.removeLayer(circle); marker = circle = null; }
        return;
      }
      if (!marker) {
        marker = L.marker(point, { draggable: true, keyboard: true, title: gettext("Drag to move the point") }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng()); });
        circle = L.circle(point, { radius: radius(), color: "#b42318", weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
      }
      marker.setLatLng(point);
      circle.setLatLng(point);
      circle.setRadius(radius());
      if (fit) map.fitBounds(circle.getBounds(), { maxZoom: 14 });
    }

    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(6);
      if (precision) precision.value = precisionForZoom(map.getZoom());
      draw(false);
      [lat, lng, precision].forEach(function (f) { if (f) f.dispatchEvent(new Event("input", { bubbles: true })); });
    }

    if (current()) draw(true); else map.fitBounds(SYRIA);
    map.on("click", function (e) { place(e.latlng); });
    [lat, lng].forEach(function (f) { f.addEventListener("change", function () { draw(true); }); });
    if (precision) precision.addEventListener("change", function () { draw(false); });
  }

  function init(root) {
    (root || document).querySelectorAll(".point-picker").forEach(enhance);
  }

  window.verifyPointPicker = { init: init };
  init(document);
})();
