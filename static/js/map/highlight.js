/* What a choice draws over the councils' shapes, in a pane of its own above them:
   a chosen partnership's member councils and public-body partners, or the outlines of
   a chosen council's partners on the other layer. A public body with an area (a fire
   and rescue, police force or integrated care board area) is drawn as that area's
   outline with its name written in it; one without (an NHS trust, a housing
   association) as a labelled pin beside the members, one under another. */

import { element, markerNode, textTip } from "./dom.js";
import { tagWithCouncil } from "./keyboard.js";

const PANE = "highlight";
// Where the bodies' names are written: above the outlines, never catching the pointer.
const NAME_PANE = "highlight-names";
// How far apart the pins of bodies without an area sit, one under another (px).
const PIN_STEP = 26;

export function createHighlights(map) {
  // Above the councils' shapes, whichever of them was drawn last.
  map.createPane(PANE).style.zIndex = 450;
  map.createPane(NAME_PANE).style.zIndex = 470;
  map.getPane(NAME_PANE).style.pointerEvents = "none";
  const overlay = L.layerGroup().addTo(map);

  function clear() {
    overlay.clearLayers();
  }

  // One area (shared by the bodies it is the area of): its outline, dashed, named by
  // its tooltip and its path's label, and the bodies' names written at its label point.
  function drawArea(area, bounds) {
    const names = area.names.join("; ");
    const outline = L.geoJSON(area.area, {
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
    outline.bindTooltip(textTip(names + ": area covered"), { sticky: true });
    outline.eachLayer(function (layer) {
      layer.on("add", function () {
        const path = layer.getElement();
        if (path) {
          path.setAttribute("role", "img");
          path.setAttribute("aria-label", names + ": area covered");
          path.setAttribute("data-area", area.key);
        }
      });
    });
    overlay.addLayer(outline);
    if (bounds) {
      bounds.extend(outline.getBounds());
    }
    if (area.label) {
      const text = element("span", "map-body-label__text");
      area.names.forEach(function (name, index) {
        if (index) {
          text.appendChild(element("br"));
        }
        text.appendChild(document.createTextNode(name));
      });
      const label = L.marker(area.label, {
        icon: L.divIcon({ className: "map-body-label", html: text, iconSize: null }),
        interactive: false,
        keyboard: false,
        pane: NAME_PANE,
      });
      label.on("add", function () {
        const node = label.getElement();
        if (node) {
          // The outline's path carries the same names for screen readers.
          node.setAttribute("aria-hidden", "true");
          node.setAttribute("data-area", area.key);
        }
      });
      overlay.addLayer(label);
    }
  }

  // A body without an area: a labelled pin at the members' centre, the `index`th one
  // under the one before, so that several never stack on one point.
  function drawPin(partner, index) {
    const label = partner.name + " (" + partner.sector + ")";
    const marker = L.marker(partner.marker, {
      title: label,
      alt: label,
      keyboard: true,
      icon: L.divIcon({
        className: "map-body-marker",
        html: markerNode(label),
        iconSize: null,
        iconAnchor: [8, 8 - index * PIN_STEP],
      }),
    });
    overlay.addLayer(marker);
  }

  function drawBodies(data, bounds) {
    (data.areas || []).forEach(function (area) {
      drawArea(area, bounds);
    });
    let pins = 0;
    data.bodies.forEach(function (partner) {
      if (!partner.area_key && partner.marker) {
        drawPin(partner, pins++);
      }
    });
  }

  // A partnership (its JSON) and its member councils' GeoJSON features; clicking a
  // member chooses it. Fits the map to them and the bodies' areas.
  function drawPartnership(data, features, onChooseCouncil) {
    clear();
    const memberLayer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
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
      }
    );
    overlay.addLayer(memberLayer);
    const bounds = L.latLngBounds([]);
    if (memberLayer.getLayers().length) {
      bounds.extend(memberLayer.getBounds());
    }
    drawBodies(data, bounds);
    if (bounds.isValid()) {
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

  return {
    clear: clear,
    // A partnership's public bodies alone (its page's map draws its members itself).
    drawBodies: function (data) {
      drawBodies(data, null);
    },
    drawPartnership: drawPartnership,
    outlinePartner: outlinePartner,
  };
}
