// The basemap under the incident map and the incident mini-map. It needs no network beyond this app:
// - country borders and coastlines from Natural Earth (world-atlas TopoJSON, converted here with topojson-client);
// - Syria's governorates (Natural Earth admin-1, static/vendor/natural-earth-admin1-syria);
// - town labels from the gazetteer, larger towns first, more as you zoom in;
// and, when set, a self-hosted PMTiles file (protomaps-leaflet) and/or an XYZ tile URL drawn over them (if the tiles
// cannot load, offline, the vector layers beneath still show the map). Settings: verify/maps/templatetags/map_tags.py.
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var LANG = document.documentElement.lang || "en";
  // A few gazetteer entries have a transliteration in the Arabic name field: show the name instead.
  var LATIN = /[A-Za-z]/;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function pane(map, name, zIndex) {
    var p = map.getPane(name) || map.createPane(name);
    p.style.zIndex = String(zIndex);
    p.style.pointerEvents = "none";
    return name;
  }

  // A town shows from this zoom on, by its population: cities from the start, villages only close up.
  function minZoom(population) {
    if (population >= 500000) return 6;
    if (population >= 100000) return 8;
    if (population >= 20000) return 9;
    return 11;
  }

  function placeLabels(map, url, labelPane) {
    var layer = L.layerGroup().addTo(map);
    var places = [];
    function update() {
      var zoom = map.getZoom();
      var bounds = map.getBounds().pad(0.2);
      layer.clearLayers();
      places.forEach(function (p) {
        if (zoom < minZoom(p.population) || !bounds.contains([p.lat, p.lng])) return;
        var label = document.createElement("span");
        label.textContent = LANG === "ar" && p.name_ar && !LATIN.test(p.name_ar) ? p.name_ar : p.name;
        label.dir = "auto";
        layer.addLayer(
          L.marker([p.lat, p.lng], {
            icon: L.divIcon({ className: "basemap-place", html: label, iconSize: null }),
            interactive: false,
            keyboard: false,
            pane: labelPane,
          })
        );
      });
    }
    getJSON(url)
      .then(function (data) {
        places = data.places;
        update();
      })
      .catch(function () {
        /* the labels are a help, not a need: the map works without them */
      });
    map.on("moveend", update);
    return layer;
  }

  function governorateLabels(map, features, labelPane) {
    var layer = L.layerGroup();
    features.forEach(function (f) {
      // Damascus governorate is the city itself, whose town label says it already.
      if (f.properties.code === "SY-DI") return;
      var centre = L.geoJSON(f).getBounds().getCenter();
      var label = document.createElement("span");
      label.textContent = (LANG === "ar" && f.properties.name_ar) || f.properties.name;
      layer.addLayer(
        L.marker(centre, {
          icon: L.divIcon({ className: "basemap-governorate-label", html: label, iconSize: null }),
          interactive: false,
          keyboard: false,
          pane: labelPane,
        })
      );
    });
    function update() {
      // Governorate names on the whole-country view; from zoom 8 the towns speak for themselves.
      var z = map.getZoom();
      if (z >= 6 && z <= 7) layer.addTo(map);
      else layer.remove();
    }
    map.on("zoomend", update);
    update();
  }

  window.verifyBasemap = function (map, el) {
    var d = el.dataset;
    var shapes = pane(map, "basemap", 150);
    var labels = pane(map, "basemap-labels", 160);
    var renderer = L.svg({ pane: shapes, padding: 0.5 });
    el.classList.add("has-basemap");
    if (d.countriesUrl && window.topojson) {
      getJSON(d.countriesUrl)
        .then(function (world) {
          var countries = window.topojson.feature(world, world.objects.countries);
          L.geoJSON(countries, {
            renderer: renderer,
            interactive: false,
            attribution: gettext("Natural Earth"),
            style: function (f) {
              return { className: "basemap-country" + (f.properties.name === "Syria" ? " basemap-home" : ""), weight: 1 };
            },
          }).addTo(map);
        })
        .catch(function () {});
    }
    if (d.governoratesUrl) {
      getJSON(d.governoratesUrl)
        .then(function (data) {
          L.geoJSON(data, {
            renderer: renderer,
            interactive: false,
            style: { className: "basemap-governorate", weight: 1, dashArray: "4 3", fill: false },
          }).addTo(map);
          governorateLabels(map, data.features, labels);
        })
        .catch(function () {});
    }
    if (d.placesUrl) placeLabels(map, d.placesUrl, labels);
    if (d.pmtilesUrl && window.protomapsL) {
      window.protomapsL
        .leafletLayer({ url: d.pmtilesUrl, flavor: "light", lang: LANG, attribution: d.pmtilesAttribution || "" })
        .addTo(map);
    }
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 18, attribution: d.tileAttribution || "" }).addTo(map);
    }
  };
})();
