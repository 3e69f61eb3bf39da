/* What a choice draws over the councils' shapes, in a pane of its own above them:
   a chosen partnership's member councils and public-body partners, or the outlines of
   a chosen council's partners on the other layer. */

import { markerNode, textTip } from "./dom.js";
import { tagWithCouncil } from "./keyboard.js";

const PANE = "highlight";

export function createHighlights(map) {
  // Above the councils' shapes, whichever of them was drawn last.
  map.createPane(PANE).style.zIndex = 450;
  const overlay = L.layerGroup().addTo(map);

  function clear() {
    overlay.clearLayers();
  }

  // A public body's area (dashed) or, where it covers no council, a labelled pin.
  function drawBody(partner, bounds) {
    const label = partner.name + " (" + partner.sector + ")";
    if (partner.area) {
      const area = L.geoJSON(partner.area, {
        interactive: true,
        pane: PANE,
        style: {
          color: "#1d70b8",
          weight: 3,
          dashArray: "6 4",
          fill: false,
          className: "map-body-area",
        },
      });
      area.bindTooltip(textTip(label + ": area covered"), { sticky: true });
      overlay.addLayer(area);
      if (bounds) {
        bounds.extend(area.getBounds());
      }
    } else if (partner.marker) {
      const marker = L.marker(partner.marker, {
        title: label,
        alt: label,
        keyboard: true,
        icon: L.divIcon({ className: "map-body-marker", html: markerNode(label), iconSize: null }),
      });
      overlay.addLayer(marker);
    }
  }

  // A partnership (its JSON) and its member councils' shapes (GeoJSON); clicking a
  // member chooses it. Fits the map to them.
  function drawPartnership(data, members, onChooseCouncil) {
    clear();
    const memberLayer = L.geoJSON(members, {
      pane: PANE,
      style: {
        color: "#0b0c0c",
        weight: 2.5,
        fillColor: "#d4351c",
        fillOpacity: 0.85,
        className: "map-member",
      },
      onEachFeature: function (feature, layer) {
        const props = feature.properties;
        layer.bindTooltip(textTip(props.name + ": member of " + data.name), { sticky: true });
        tagWithCouncil(layer, props.gss_code);
        layer.on("click", function () {
          onChooseCouncil(props);
        });
      },
    });
    overlay.addLayer(memberLayer);
    const bounds = memberLayer.getLayers().length ? memberLayer.getBounds() : null;
    data.bodies.forEach(function (partner) {
      drawBody(partner, bounds);
    });
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
    }
  }

  // A partner on the other layer, outlined in the colour of what it shares.
  function outlinePartner(feature, colour, label) {
    const outline = L.geoJSON(feature, {
      pane: PANE,
      style: {
        color: colour,
        weight: 5,
        dashArray: "10 5",
        fill: false,
        className: "map-partner-outline",
      },
    });
    outline.bindTooltip(textTip(label + " (on the other layer)"), { sticky: true });
    outline.eachLayer(function (layer) {
      tagWithCouncil(layer, feature.properties.gss_code);
    });
    overlay.addLayer(outline);
  }

  return { clear: clear, drawPartnership: drawPartnership, outlinePartner: outlinePartner };
}
