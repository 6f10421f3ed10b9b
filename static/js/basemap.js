// The one place that decides a small map's background layers. Today: the tile server of settings.MAP_TILE_URL
// read from the element's data attributes (nothing, a blank background, when it is empty). An offline basemap
// replaces the body of this function and every map that calls it follows.
(function () {
  "use strict";
  window.verifyBasemap = function (map, el) {
    var layers = [];
    if (el.dataset.tileUrl) {
      layers.push(L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }));
    }
    layers.forEach(function (layer) { layer.addTo(map); });
    return layers;
  };
})();
