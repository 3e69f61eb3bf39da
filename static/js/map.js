/* The national map of councils (#council-map) and the small map of one partnership's
   members (#partnership-map). Leaflet comes from django-leaflet's static files; no tiles
   unless the page's config names a tile server. */
(function () {
  "use strict";

  function pluralPartnerships(count) {
    return count + (count === 1 ? " partnership" : " partnerships");
  }

  function addTiles(map, url, attribution) {
    if (url) {
      L.tileLayer(url, { attribution: attribution || "" }).addTo(map);
    }
  }

  function classFor(count, classes) {
    for (const cls of classes) {
      if (count >= cls.min && (cls.max === null || count <= cls.max)) {
        return cls;
      }
    }
    return classes[classes.length - 1];
  }

  // Paths are SVG elements Leaflet makes when the layer is added; give them what a
  // keyboard or screen-reader user needs.
  function makeFocusable(layer, label, onActivate) {
    layer.on("add", function () {
      const path = layer.getElement();
      if (!path) {
        return;
      }
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", label);
      path.setAttribute("data-gss", layer.feature.properties.gss_code);
      path.addEventListener("focus", function () {
        layer.openTooltip();
      });
      path.addEventListener("blur", function () {
        layer.closeTooltip();
      });
      path.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onActivate();
        }
      });
    });
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + url);
      }
      return response.json();
    });
  }

  function initCouncilMap(element, config) {
    const map = L.map(element, {
      minZoom: config.minZoom,
      maxZoom: config.maxZoom,
      zoomSnap: 0.25,
      maxBounds: [
        [48.5, -9.5],
        [57, 5],
      ],
    });
    map.fitBounds(config.bounds);
    addTiles(map, config.tileUrl, config.tileAttribution);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: ONS, OGL v3.0");

    const panel = document.getElementById("council-panel");
    const state = {
      layer: "districts",
      selected: null,
      lowData: {},
      low: {},
      context: null,
      highRequest: 0,
    };

    function style(feature) {
      const cls = classFor(feature.properties.partnerships, config.classes);
      const selected = feature.properties.gss_code === state.selected;
      return {
        color: config.boundaryColour,
        weight: selected ? 3 : map.getZoom() >= config.detailZoom ? 1 : 0.6,
        fillColor: cls.colour,
        fillOpacity: config.tileUrl ? 0.75 : 1,
        className: selected ? "map-council map-council--selected" : "map-council",
      };
    }

    function showPanel(feature) {
      const props = feature.properties;
      state.selected = props.gss_code;
      Object.values(groups).forEach(function (group) {
        group.eachLayer(function (geojson) {
          geojson.setStyle(style);
        });
      });
      element.querySelectorAll(".map-council--selected").forEach(function (path) {
        if (path.getAttribute("data-gss") !== props.gss_code) {
          path.classList.remove("map-council--selected");
        }
      });
      element.querySelectorAll('[data-gss="' + props.gss_code + '"]').forEach(function (path) {
        path.classList.add("map-council--selected");
      });
      panel.setAttribute("aria-busy", "true");
      const loading = document.createElement("p");
      loading.className = "muted";
      loading.textContent = "Loading " + props.name + "…";
      panel.replaceChildren(loading);
      fetch(props.panel_url, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (html) {
          if (state.selected === props.gss_code) {
            panel.innerHTML = html;
          }
        })
        .catch(function () {
          panel.innerHTML =
            '<p>The partnerships could not be loaded. <a href="' +
            props.panel_url +
            '">Open them on a page of their own</a>.</p>';
        })
        .finally(function () {
          panel.removeAttribute("aria-busy");
        });
    }

    function geojsonLayer(data) {
      return L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, layer) {
          const props = feature.properties;
          const label = props.name + ": " + pluralPartnerships(props.partnerships);
          layer.bindTooltip(label, { sticky: true, direction: "top" });
          layer.on("click", function () {
            showPanel(feature);
          });
          makeFocusable(layer, label, function () {
            showPanel(feature);
          });
        },
      });
    }

    // One group per layer of the layers control; each holds the light shapes of all
    // England, or, zoomed in, the detailed shapes of the area in view.
    const groups = {};
    const baseLayers = {};
    Object.entries(config.layers).forEach(function ([name, label]) {
      groups[name] = L.layerGroup();
      baseLayers[label] = groups[name];
    });
    groups[state.layer].addTo(map);
    L.control.layers(baseLayers, null, { collapsed: false, position: "topright" }).addTo(map);

    function layerUrl(params) {
      return config.layerUrl + "?" + new URLSearchParams(params).toString();
    }

    function lowData(name) {
      if (!state.lowData[name]) {
        state.lowData[name] = fetchJSON(layerUrl({ layer: name }));
      }
      return state.lowData[name];
    }

    // Beneath the county layer, the rest of England in grey, so that the areas without
    // a county council read as such rather than as sea.
    function contextLayer(name) {
      if (name !== "counties") {
        return Promise.resolve(null);
      }
      if (!state.context) {
        state.context = lowData("districts").then(function (data) {
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
      return state.context;
    }

    function show(name, layerPromise, isCurrent, loaded) {
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
        element.setAttribute("data-loaded", loaded);
      });
    }

    function showLow(name) {
      if (!state.low[name]) {
        state.low[name] = lowData(name).then(geojsonLayer);
      }
      show(
        name,
        state.low[name],
        function () {
          return state.layer === name && map.getZoom() < config.detailZoom;
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
      const request = ++state.highRequest;
      show(
        name,
        fetchJSON(layerUrl({ layer: name, detail: "high", bbox: bbox })).then(geojsonLayer),
        function () {
          return request === state.highRequest && state.layer === name;
        },
        name + "-high"
      );
    }

    function refresh() {
      if (map.getZoom() >= config.detailZoom) {
        showHigh(state.layer);
      } else {
        state.highRequest++;
        showLow(state.layer);
      }
    }

    map.on("baselayerchange", function (event) {
      state.layer = Object.keys(groups).find(function (name) {
        return groups[name] === event.layer;
      });
      refresh();
    });
    map.on("moveend", refresh);
    refresh();
  }

  function initPartnershipMap(element) {
    const highlight = new Set(
      (element.getAttribute("data-highlight") || "")
        .split(",")
        .map(function (code) {
          return code.trim();
        })
        .filter(Boolean)
    );
    const map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
    addTiles(map, element.getAttribute("data-tile-url"), element.getAttribute("data-tile-attribution"));
    map.attributionControl.setPrefix(false);
    // A partnership's few members are worth their detailed shapes.
    const url = new URL(element.getAttribute("data-layer-url"), window.location.href);
    if (!url.searchParams.has("detail")) {
      url.searchParams.set("detail", "high");
    }

    fetchJSON(url.toString())
      .then(function (data) {
        const isMember = function (feature) {
          return highlight.size === 0 || highlight.has(feature.properties.gss_code);
        };
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
            featureLayer.bindTooltip(props.name, { sticky: true, direction: "top" });
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
          map.setView([52.8, -1.6], 6);
        }
        layer.addTo(map);
        element.setAttribute("data-loaded", "members");
      })
      .catch(function () {
        map.setView([52.8, -1.6], 6);
      });
  }

  const councilMap = document.getElementById("council-map");
  const config = document.getElementById("map-config");
  if (councilMap && config) {
    initCouncilMap(councilMap, JSON.parse(config.textContent));
  }
  const partnershipMap = document.getElementById("partnership-map");
  if (partnershipMap) {
    initPartnershipMap(partnershipMap);
  }
})();
