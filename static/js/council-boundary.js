/* The admin's council change form: a small map of the council's boundary. The geometry
   comes from a json_script element and the tiles from django-leaflet's settings (a data-
   attribute), so the page needs no inline script under the Content-Security-Policy. */
(function () {
  "use strict";

  const element = document.getElementById("council-boundary-map");
  const geometryScript = document.getElementById("council-boundary-geometry");
  if (!element || !geometryScript || typeof L === "undefined") {
    return;
  }
  const config = JSON.parse(element.getAttribute("data-leaflet-config") || "{}");
  const map = L.map(element);
  map.attributionControl.setPrefix(false);
  // Without tiles (MAP_TILE_URL unset) the shape is drawn alone.
  (config.TILES || []).slice(0, 1).forEach(function (tile) {
    L.tileLayer(tile[1], tile[2] || {}).addTo(map);
  });
  const shape = L.geoJSON(JSON.parse(geometryScript.textContent), {
    style: { color: "#005ea5", weight: 2, fillOpacity: 0.2 },
  });
  shape.addTo(map);
  map.fitBounds(shape.getBounds());
  element.setAttribute("data-loaded", "boundary");
})();
