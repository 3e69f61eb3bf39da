/* The small map of one partnership's members (#partnership-map) on its page: each
   member a link to its council's page. */

import { addTiles, fetchJSON, textTip } from "./dom.js";
import { createHighlights } from "./highlight.js";
import { makeFocusable } from "./keyboard.js";

const ENGLAND_CENTRE = [52.8, -1.6];

export function initPartnershipMap(root) {
  const highlight = new Set(
    (root.getAttribute("data-highlight") || "")
      .split(",")
      .map(function (code) {
        return code.trim();
      })
      .filter(Boolean)
  );
  const map = L.map(root, { scrollWheelZoom: false, zoomSnap: 0.25 });
  addTiles(map, root.getAttribute("data-tile-url"), root.getAttribute("data-tile-attribution"));
  map.attributionControl.setPrefix(false);
  // A partnership's few members are worth their detailed shapes.
  const url = new URL(root.getAttribute("data-layer-url"), window.location.href);
  if (!url.searchParams.has("detail")) {
    url.searchParams.set("detail", "high");
  }
  const isMember = function (feature) {
    return highlight.size === 0 || highlight.has(feature.properties.gss_code);
  };

  fetchJSON(url.toString())
    .then(function (data) {
      const layer = L.geoJSON(data, {
        style: function (feature) {
          const member = isMember(feature);
          return {
            color: "#0b0c0c",
            weight: member ? 1.5 : 0.5,
            fillColor: member ? "#225ea8" : "#ffffcc",
            fillOpacity: member ? 0.8 : 0.6,
            className: "map-council",
          };
        },
        onEachFeature: function (feature, featureLayer) {
          const props = feature.properties;
          featureLayer.bindTooltip(textTip(props.name), { sticky: true, direction: "top" });
          const open = function () {
            window.location.href = props.url;
          };
          featureLayer.on("click", open);
          makeFocusable(featureLayer, props.name + " (council page)", open);
          featureLayer.on("add", function () {
            const path = featureLayer.getElement();
            if (path) {
              path.setAttribute("role", "link");
            }
          });
        },
      });
      const members = L.featureGroup(
        layer.getLayers().filter(function (featureLayer) {
          return isMember(featureLayer.feature);
        })
      );
      // Set the view before drawing, so the shapes do not fly in from all England.
      if (members.getLayers().length) {
        map.fitBounds(members.getBounds(), { padding: [16, 16], maxZoom: 11, animate: false });
      } else {
        map.setView(ENGLAND_CENTRE, 6);
      }
      layer.addTo(map);
      root.setAttribute("data-loaded", "members");
      // Its public bodies with an area (fire, police, health) as their areas' outlines,
      // named; those without as labelled pins.
      const bodiesUrl = root.getAttribute("data-bodies-url");
      if (bodiesUrl) {
        fetchJSON(bodiesUrl).then(function (bodies) {
          createHighlights(map).drawBodies(bodies);
          root.setAttribute("data-bodies", "drawn");
        });
      }
    })
    .catch(function () {
      map.setView(ENGLAND_CENTRE, 6);
    });
}
