/* Place names on the map, for the eye (the shapes are named for screen readers by
   their aria-label): zoomed in, each council of the layer shown is named where its
   shape can hold the name and no other name is in the way, larger councils first; at
   national scale none, so nothing clutters the shading. The names are the councils'
   own, written by the map: no tile server is needed. */

import { element } from "./dom.js";

// From this zoom (a county across the screen) the names are written.
export const LABEL_ZOOM = 9;
const LABEL_PANE = "labels";
// About the width of a character of the labels' 13px type, for the label's box.
const LABEL_CHAR_PX = 7;
const LABEL_HEIGHT_PX = 18;

// `eachShown(callback)` calls back with each council shape (a Leaflet polygon) drawn.
export function createLabels(map, eachShown) {
  // Over the shapes and the highlights, never catching the pointer.
  map.createPane(LABEL_PANE).style.zIndex = 460;
  map.getPane(LABEL_PANE).style.pointerEvents = "none";
  const labels = L.layerGroup().addTo(map);

  // The point to write a council's name at: the centre of its largest part.
  function labelPoint(layer) {
    const parts = L.LineUtil.isFlat(layer.getLatLngs()) ? [layer.getLatLngs()] : layer.getLatLngs();
    let best = null;
    let bestSize = -1;
    parts.forEach(function (part) {
      const ring = L.LineUtil.isFlat(part) ? part : part[0];
      const bounds = L.latLngBounds(ring);
      const size =
        (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth());
      if (size > bestSize) {
        bestSize = size;
        best = ring;
      }
    });
    return best && best.length > 2 ? L.PolyUtil.polygonCenter(best, map.options.crs) : null;
  }

  // Zoomed in, the names of the councils in view on the layer shown, larger shapes
  // first, each only where its shape can hold it and it overlaps no other name; at
  // national scale none.
  function draw() {
    labels.clearLayers();
    if (map.getZoom() < LABEL_ZOOM) {
      return;
    }
    const view = map.getBounds();
    const candidates = [];
    eachShown(function (layer) {
      const bounds = layer.getBounds();
      if (!view.intersects(bounds)) {
        return;
      }
      const nw = map.latLngToContainerPoint(bounds.getNorthWest());
      const se = map.latLngToContainerPoint(bounds.getSouthEast());
      candidates.push({ layer: layer, width: se.x - nw.x, height: se.y - nw.y });
    });
    candidates.sort(function (a, b) {
      return b.width * b.height - a.width * a.height;
    });
    const placed = [];
    const size = map.getSize();
    candidates.forEach(function (candidate) {
      const name = candidate.layer.feature.properties.name;
      const width = name.length * LABEL_CHAR_PX + 8;
      if (candidate.width < width * 0.8 || candidate.height < LABEL_HEIGHT_PX * 1.5) {
        return;
      }
      const point = labelPoint(candidate.layer);
      if (!point) {
        return;
      }
      const at = map.latLngToContainerPoint(point);
      const box = {
        left: at.x - width / 2,
        right: at.x + width / 2,
        top: at.y - LABEL_HEIGHT_PX / 2,
        bottom: at.y + LABEL_HEIGHT_PX / 2,
      };
      if (box.right < 0 || box.left > size.x || box.bottom < 0 || box.top > size.y) {
        return;
      }
      const overlaps = placed.some(function (other) {
        return !(
          box.right < other.left ||
          box.left > other.right ||
          box.bottom < other.top ||
          box.top > other.bottom
        );
      });
      if (overlaps) {
        return;
      }
      placed.push(box);
      // The shapes are named for screen readers already (aria-label): the label is
      // for the eye only.
      const text = element("span", "map-place-label__text", name);
      const icon = L.divIcon({
        className: "map-place-label",
        html: text,
        iconSize: [width, LABEL_HEIGHT_PX],
        iconAnchor: [width / 2, LABEL_HEIGHT_PX / 2],
      });
      const marker = L.marker(point, {
        icon: icon,
        interactive: false,
        keyboard: false,
        pane: LABEL_PANE,
      });
      marker.on("add", function () {
        const node = marker.getElement();
        if (node) {
          node.setAttribute("aria-hidden", "true");
          node.setAttribute("data-gss", candidate.layer.feature.properties.gss_code);
        }
      });
      labels.addLayer(marker);
    });
  }

  return { draw: draw };
}
