/* The councils' boundaries: one group per layer of the layers control (district-level
   councils, county councils), each holding the light shapes of all England or, zoomed
   in, the detailed shapes of the area in view, fetched as GeoJSON and styled from what
   is chosen (styles.js). */

import { fetchJSON, textTip, withFilters } from "./dom.js";
import { makeFocusable } from "./keyboard.js";

export function createLayers({ map, mapElement, config, state, styler, onChoose }) {
  const groups = {};
  const baseLayers = {};
  const loaded = { lowData: {}, low: {}, context: null, highRequest: 0 };

  Object.entries(config.layers).forEach(function ([name, label]) {
    groups[name] = L.layerGroup();
    baseLayers[label] = groups[name];
  });
  groups[state.layer].addTo(map);
  L.control.layers(baseLayers, null, { collapsed: false, position: "topright" }).addTo(map);

  function style(feature) {
    return styler.style(feature, map.getZoom());
  }

  function layerUrl(params) {
    return withFilters(config.layerUrl, state.filters, params);
  }

  function eachCouncil(callback) {
    Object.values(groups).forEach(function (group) {
      group.eachLayer(function (geojson) {
        if (geojson.eachLayer && geojson.options.interactive !== false) {
          geojson.eachLayer(callback);
        }
      });
    });
  }

  function restyle() {
    eachCouncil(function (layer) {
      const look = style(layer.feature);
      layer.setStyle(look);
      const label = styler.label(layer.feature.properties);
      layer.setTooltipContent(textTip(label));
      const path = layer.getElement();
      if (path) {
        path.setAttribute("aria-label", label);
        path.setAttribute("class", "leaflet-interactive " + look.className);
      }
    });
  }

  function geojsonLayer(data) {
    return L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, layer) {
        const label = styler.label(feature.properties);
        const choose = function () {
          onChoose(feature.properties);
        };
        layer.bindTooltip(textTip(label), { sticky: true, direction: "top" });
        layer.on("click", choose);
        makeFocusable(layer, label, choose);
        layer.on("add", function () {
          const path = layer.getElement();
          if (path) {
            path.setAttribute("aria-label", styler.label(feature.properties));
          }
        });
      },
    });
  }

  function lowData(name) {
    if (!loaded.lowData[name]) {
      loaded.lowData[name] = fetchJSON(layerUrl({ layer: name }));
    }
    return loaded.lowData[name];
  }

  // Beneath the county layer, the rest of England in grey, so that the areas without
  // a county council read as such rather than as sea.
  function contextLayer(name) {
    if (name !== "counties") {
      return Promise.resolve(null);
    }
    if (!loaded.context) {
      loaded.context = fetchJSON(config.layerUrl + "?layer=districts").then(function (data) {
        return L.geoJSON(data, {
          interactive: false,
          style: {
            color: "#b1b4b6",
            weight: 0.5,
            fillColor: "#f3f2f1",
            fillOpacity: config.tileUrl ? 0.5 : 1,
          },
        });
      });
    }
    return loaded.context;
  }

  function show(name, layerPromise, isCurrent, loadedName) {
    Promise.all([contextLayer(name), layerPromise]).then(function ([context, layer]) {
      if (!isCurrent()) {
        return;
      }
      const group = groups[name];
      group.clearLayers();
      if (context) {
        group.addLayer(context);
      }
      layer.setStyle(style);
      group.addLayer(layer);
      restyle();
      mapElement.setAttribute("data-loaded", loadedName);
      mapElement.setAttribute("data-filters", state.filters);
    });
  }

  function showLow(name) {
    if (!loaded.low[name]) {
      loaded.low[name] = lowData(name).then(geojsonLayer);
    }
    const filters = state.filters;
    show(
      name,
      loaded.low[name],
      function () {
        return state.layer === name && map.getZoom() < config.detailZoom && state.filters === filters;
      },
      name
    );
  }

  function showHigh(name) {
    // Round the padded view outwards so that nearby views share a URL (and the
    // browser's cache).
    const bounds = map.getBounds().pad(0.25);
    const step = 0.25;
    const bbox = [
      Math.floor(bounds.getWest() / step) * step,
      Math.floor(bounds.getSouth() / step) * step,
      Math.ceil(bounds.getEast() / step) * step,
      Math.ceil(bounds.getNorth() / step) * step,
    ].join(",");
    const request = ++loaded.highRequest;
    show(
      name,
      fetchJSON(layerUrl({ layer: name, detail: "high", bbox: bbox })).then(geojsonLayer),
      function () {
        return request === loaded.highRequest && state.layer === name;
      },
      name + "-high"
    );
  }

  function refresh() {
    if (map.getZoom() >= config.detailZoom) {
      showHigh(state.layer);
    } else {
      loaded.highRequest++;
      showLow(state.layer);
    }
  }

  // The filters changed (state.filters): every layer is fetched again.
  function filtersChanged() {
    loaded.lowData = {};
    loaded.low = {};
    refresh();
  }

  function switchTo(name) {
    if (name === state.layer || !groups[name]) {
      return;
    }
    map.removeLayer(groups[state.layer]);
    groups[name].addTo(map);
    state.layer = name;
    refresh();
  }

  // The light shape of one council on a layer, once that layer has loaded (or null).
  function findCouncil(name, gss) {
    return (loaded.low[name] || Promise.resolve(null)).then(function (geojson) {
      let found = null;
      if (geojson) {
        geojson.eachLayer(function (layer) {
          if (layer.feature.properties.gss_code === gss) {
            found = layer;
          }
        });
      }
      return found;
    });
  }

  map.on("baselayerchange", function (event) {
    state.layer = Object.keys(groups).find(function (name) {
      return groups[name] === event.layer;
    });
    refresh();
  });
  map.on("moveend", refresh);

  return {
    eachCouncil: eachCouncil,
    filtersChanged: filtersChanged,
    findCouncil: findCouncil,
    layerUrl: layerUrl,
    refresh: refresh,
    restyle: restyle,
    switchTo: switchTo,
  };
}
