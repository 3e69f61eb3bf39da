/* The councils' boundaries: one group per layer of the layers control (district-level
   councils, county councils), each holding the light shapes of all England or, zoomed
   in, the detailed ones. The shapes come from the layer files the page names (one per
   year's councils, layer and detail, cached by the browser for ever); the number of
   partnerships per council for the filters comes from the counts JSON, fetched again
   whenever the filters change and joined to the shapes here, then styled from what is
   chosen (styles.js). */

import { fetchJSON, textTip, withFilters } from "./dom.js";
import { makeFocusable } from "./keyboard.js";
import { createLabels } from "./labels.js";

export function createLayers({ map, mapElement, config, state, styler, onChoose }) {
  const groups = {};
  const baseLayers = {};
  // Layers built from the files, by file address: built once, restyled after.
  const built = {};
  const loaded = { highRequest: 0, counts: null, countsFor: null };

  Object.entries(config.layers).forEach(function ([name, label]) {
    groups[name] = L.layerGroup();
    baseLayers[label] = groups[name];
  });
  groups[state.layer].addTo(map);
  L.control.layers(baseLayers, null, { collapsed: false, position: "topright" }).addTo(map);
  // Zoomed in, the names of the councils of the layer shown.
  const labels = createLabels(map, function (callback) {
    groups[state.layer].eachLayer(function (geojson) {
      if (geojson.eachLayer && geojson.options.interactive !== false) {
        geojson.eachLayer(callback);
      }
    });
  });

  function style(feature) {
    return styler.style(feature, map.getZoom());
  }

  function layerUrl(params) {
    return withFilters(config.layerUrl, state.filters, params);
  }

  function fileUrl(name, detail) {
    const files = state.layerFiles[name] || {};
    return files[detail] || null;
  }

  // {GSS code: partnerships} for the filters in force, fetched once per filters.
  function counts() {
    if (loaded.countsFor !== state.filters || !loaded.counts) {
      loaded.countsFor = state.filters;
      loaded.counts = fetchJSON(withFilters(config.countsUrl, state.filters)).then(
        function (data) {
          return data.counts || {};
        }
      );
    }
    return loaded.counts;
  }

  // The counts, put into each council's properties, where the styles and labels read them.
  function joinCounts(layer, byCode) {
    layer.eachLayer(function (council) {
      const props = council.feature.properties;
      props.partnerships = byCode[props.gss_code] || 0;
    });
    return layer;
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
    data.features.forEach(function (feature) {
      const props = feature.properties;
      props.partnerships = 0;
      props.panel_url = config.panelUrl.replace("__gss__", encodeURIComponent(props.gss_code));
    });
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

  function fileLayer(url) {
    if (!built[url]) {
      built[url] = fetchJSON(url).then(geojsonLayer);
    }
    return built[url];
  }

  // Beneath the county layer, the rest of England in grey, so that the areas without
  // a county council read as such rather than as sea.
  function contextLayer(name) {
    const url = fileUrl("districts", "low");
    if (name !== "counties" || !url) {
      return Promise.resolve(null);
    }
    const key = "context:" + url;
    if (!built[key]) {
      built[key] = fetchJSON(url).then(function (data) {
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
    return built[key];
  }

  function show(name, detail, isCurrent, loadedName) {
    const url = fileUrl(name, detail);
    if (!url) {
      return;
    }
    Promise.all([contextLayer(name), fileLayer(url), counts()]).then(function ([
      context,
      layer,
      byCode,
    ]) {
      if (!isCurrent()) {
        return;
      }
      joinCounts(layer, byCode);
      const group = groups[name];
      if (!group.hasLayer(layer)) {
        group.clearLayers();
        if (context) {
          group.addLayer(context);
        }
        group.addLayer(layer);
      }
      layer.setStyle(style);
      restyle();
      labels.draw();
      mapElement.setAttribute("data-loaded", loadedName);
      mapElement.setAttribute("data-filters", state.filters);
    });
  }

  function showLow(name) {
    const filters = state.filters;
    show(
      name,
      "low",
      function () {
        return state.layer === name && map.getZoom() < config.detailZoom && state.filters === filters;
      },
      name
    );
  }

  // Zoomed in, the detailed shapes of the whole layer: one file, fetched once.
  function showHigh(name) {
    const request = ++loaded.highRequest;
    const filters = state.filters;
    show(
      name,
      "high",
      function () {
        return request === loaded.highRequest && state.layer === name && state.filters === filters;
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

  // The filters changed (state.filters): only the counts are fetched again, and the
  // shapes too if the year's councils are others (state.layerFiles).
  function filtersChanged() {
    loaded.counts = null;
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

  // {features, missing}: the light GeoJSON features of `codes` (GSS codes) from both
  // layers' files, so a partnership's highlight need not send its members' shapes.
  function featuresFor(codes) {
    const wanted = new Set(codes);
    const files = Object.keys(groups)
      .map(function (name) {
        return fileUrl(name, "low");
      })
      .filter(Boolean);
    return Promise.all(files.map(fileLayer)).then(function (geojsons) {
      const found = new Map();
      geojsons.forEach(function (geojson) {
        geojson.eachLayer(function (layer) {
          const gss = layer.feature.properties.gss_code;
          if (wanted.has(gss) && !found.has(gss)) {
            found.set(gss, layer.feature);
          }
        });
      });
      return {
        features: Array.from(found.values()),
        missing: codes.filter(function (gss) {
          return !found.has(gss);
        }),
      };
    });
  }

  map.on("baselayerchange", function (event) {
    state.layer = Object.keys(groups).find(function (name) {
      return groups[name] === event.layer;
    });
    refresh();
  });
  map.on("moveend", refresh);
  map.on("moveend", labels.draw);
  // Where the map is, on its element, for whoever reads the page (and its tests).
  map.on("moveend", function () {
    mapElement.setAttribute("data-zoom", String(map.getZoom()));
    mapElement.setAttribute("data-bounds", map.getBounds().toBBoxString());
  });

  return {
    eachCouncil: eachCouncil,
    featuresFor: featuresFor,
    filtersChanged: filtersChanged,
    layerUrl: layerUrl,
    refresh: refresh,
    restyle: restyle,
    switchTo: switchTo,
  };
}
