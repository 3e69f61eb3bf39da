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

  // A hatch for councils that share several kinds of service with the chosen council:
  // a pattern, so that the difference never rests on colour alone.
  function addPatterns() {
    if (document.getElementById("map-hatch")) {
      return;
    }
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.setAttribute("aria-hidden", "true");
    svg.style.position = "absolute";
    const svgNode = function (tag, attributes) {
      const node = document.createElementNS(ns, tag);
      Object.entries(attributes).forEach(function ([name, value]) {
        node.setAttribute(name, value);
      });
      return node;
    };
    const pattern = svgNode("pattern", {
      id: "map-hatch",
      width: "8",
      height: "8",
      patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)",
    });
    pattern.append(
      svgNode("rect", { width: "8", height: "8", fill: "#ffffff" }),
      svgNode("rect", { width: "4", height: "8", fill: "#6a3d9a" })
    );
    const defs = svgNode("defs", {});
    defs.appendChild(pattern);
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  // Leaflet puts a string tooltip in as HTML; a node keeps names from the data as text.
  // A tooltip's content as a node: Leaflet sets a string tooltip as HTML.
  function textTip(text) {
    return element("span", "", text);
  }

  // Our own server's fragment, moved in as parsed nodes: no string is ever set as HTML,
  // and nothing in it runs (DOMParser's documents run no script).
  function fragmentNodes(source) {
    return Array.from(source.childNodes).map(function (node) {
      return document.importNode(node, true);
    });
  }

  // A public body's pin with its name beside it, built as nodes (a divIcon's html string
  // would be parsed as HTML).
  function markerNode(label) {
    const node = element("span", "map-body-marker__content");
    const pin = element("span", "map-body-marker__pin");
    pin.setAttribute("aria-hidden", "true");
    node.append(pin, element("span", "map-body-marker__label", label));
    return node;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function initCouncilMap(mapElement, config) {
    addPatterns();
    // The legend's colours come from the server as data (CSP refuses style attributes).
    document.querySelectorAll(".map-legend__swatch[data-colour]").forEach(function (swatch) {
      swatch.style.background = swatch.getAttribute("data-colour");
    });
    const map = L.map(mapElement, {
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
    const legend = document.getElementById("highlight-legend");
    const legendItems = document.getElementById("highlight-legend-items");
    const form = document.getElementById("filters-form");
    const categories = {};
    config.categories.forEach(function (category) {
      categories[category.slug] = category;
    });
    const state = {
      layer: "districts",
      filters: config.filterQuery || "",
      selected: null, // GSS code of the chosen council
      selectedName: "",
      partners: null, // Map of GSS code -> [{partnership, category, categoryName}]
      partnership: null, // highlight data of the chosen partnership
      members: null, // Set of its member councils' GSS codes
      overlay: null,
      lowData: {},
      low: {},
      context: null,
      highRequest: 0,
      panelRequest: 0,
    };

    // Highlights draw in a pane of their own, above the councils' shapes, whichever
    // of them was drawn last.
    map.createPane("highlight").style.zIndex = 450;
    state.overlay = L.layerGroup().addTo(map);

    function withFilters(url, extra) {
      const params = new URLSearchParams(state.filters);
      Object.entries(extra || {}).forEach(function ([key, value]) {
        params.set(key, value);
      });
      const query = params.toString();
      return url + (query ? (url.indexOf("?") >= 0 ? "&" : "?") + query : "");
    }

    function partnerOf(gss) {
      return state.partners ? state.partners.get(gss) : null;
    }

    function partnerColour(shared) {
      const slugs = new Set(
        shared.map(function (s) {
          return s.category;
        })
      );
      if (slugs.size > 1) {
        return null; // several: hatched
      }
      const category = categories[shared[0].category];
      return category ? category.colour : "#cab2d6";
    }

    function style(feature) {
      const props = feature.properties;
      const gss = props.gss_code;
      const selected = gss === state.selected;
      const result = {
        color: config.boundaryColour,
        weight: selected ? 3 : map.getZoom() >= config.detailZoom ? 1 : 0.6,
        fillColor: classFor(props.partnerships, config.classes).colour,
        fillOpacity: config.tileUrl ? 0.75 : 1,
        className: "map-council" + (selected ? " map-council--selected" : ""),
      };
      if (state.partners && !selected) {
        const shared = partnerOf(gss);
        if (shared) {
          const colour = partnerColour(shared);
          result.fillColor = colour || "#6a3d9a";
          result.weight = 1.5;
          result.className += colour ? " map-council--partner" : " map-council--partner map-council--several";
        } else {
          result.fillColor = "#f3f2f1";
          result.className += " map-council--dimmed";
        }
      } else if (state.members) {
        if (state.members.has(gss)) {
          result.className += " map-council--member";
        } else {
          result.fillColor = "#f3f2f1";
          result.className += " map-council--dimmed";
        }
      }
      return result;
    }

    function labelFor(props) {
      const gss = props.gss_code;
      if (state.partners) {
        if (gss === state.selected) {
          return props.name + " (chosen): " + pluralPartnerships(props.partnerships);
        }
        const shared = partnerOf(gss);
        if (shared) {
          return (
            props.name +
            ": shares " +
            shared
              .map(function (s) {
                return s.partnership + " (" + (s.categoryName || "no category") + ")";
              })
              .join("; ") +
            " with " +
            state.selectedName
          );
        }
        return props.name + ": shares nothing shown with " + state.selectedName;
      }
      if (state.members && state.members.has(gss)) {
        return props.name + ": member of " + state.partnership.name;
      }
      return props.name + ": " + pluralPartnerships(props.partnerships);
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
        layer.setStyle(style(layer.feature));
        const label = labelFor(layer.feature.properties);
        layer.setTooltipContent(textTip(label));
        const path = layer.getElement();
        if (path) {
          path.setAttribute("aria-label", label);
          path.setAttribute("class", "leaflet-interactive " + style(layer.feature).className);
        }
      });
    }

    function showLegend(items) {
      legendItems.replaceChildren();
      if (!items) {
        legend.hidden = true;
        return;
      }
      items.forEach(function (item) {
        const li = element("li");
        const swatch = element(
          "span",
          "map-legend__swatch" +
            (item.hatch ? " map-legend__swatch--hatch" : "") +
            (item.outline ? " map-legend__swatch--outline" : "") +
            (item.dashed ? " map-legend__swatch--dashed" : "")
        );
        if (item.colour) {
          swatch.style.background = item.colour;
        }
        li.appendChild(swatch);
        li.appendChild(document.createTextNode(item.label));
        legendItems.appendChild(li);
      });
      const clear = element("li");
      const button = element("button", "link-button", "Clear the highlight");
      button.type = "button";
      button.addEventListener("click", clearHighlight);
      clear.appendChild(button);
      legendItems.appendChild(clear);
      legend.hidden = false;
    }

    function clearHighlight() {
      state.selected = null;
      state.partners = null;
      state.partnership = null;
      state.members = null;
      state.overlay.clearLayers();
      showLegend(null);
      restyle();
      updateAddress();
    }

    function updateAddress() {
      const params = new URLSearchParams(state.filters);
      if (state.partnership) {
        params.set("partnership", state.partnership.slug);
      } else if (state.selected) {
        params.set("selected", state.selected);
      }
      const query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    // The panel names the partners in words; the map follows what the panel says.
    function partnersFromPanel() {
      const partners = new Map();
      panel.querySelectorAll("li[data-partnership]").forEach(function (item) {
        const entry = {
          partnership: item.querySelector("a").textContent,
          category: item.getAttribute("data-category"),
          categoryName: item.getAttribute("data-category-name"),
        };
        (item.getAttribute("data-members") || "")
          .split(",")
          .filter(Boolean)
          .forEach(function (gss) {
            if (!partners.has(gss)) {
              partners.set(gss, []);
            }
            partners.get(gss).push(entry);
          });
      });
      return partners;
    }

    function councilLegend(partners) {
      const used = new Map();
      let several = false;
      partners.forEach(function (shared) {
        const colour = partnerColour(shared);
        if (!colour) {
          several = true;
          return;
        }
        const category = categories[shared[0].category];
        used.set(shared[0].category, {
          colour: colour,
          label: category ? category.name : shared[0].categoryName || "No category",
        });
      });
      const items = [{ outline: true, label: state.selectedName + " (chosen, thick outline)" }];
      used.forEach(function (item) {
        items.push(item);
      });
      if (several) {
        items.push({ hatch: true, label: "Shares several kinds of service" });
      }
      items.push({ colour: "#f3f2f1", label: "Shares nothing shown" });
      return items;
    }

    // Partners on the other layer (a county sharing with a district, or the reverse)
    // are outlined over the map, in the colour of what they share.
    function drawOtherTierPartners(request) {
      const drawn = new Set();
      eachCouncil(function (layer) {
        drawn.add(layer.feature.properties.gss_code);
      });
      const missing = new Set();
      state.partners.forEach(function (_shared, gss) {
        if (!drawn.has(gss)) {
          missing.add(gss);
        }
      });
      if (!missing.size) {
        return;
      }
      const slugs = new Set();
      panel.querySelectorAll("li[data-partnership]").forEach(function (item) {
        const members = (item.getAttribute("data-members") || "").split(",");
        if (
          members.some(function (gss) {
            return missing.has(gss);
          })
        ) {
          slugs.add(item.getAttribute("data-partnership"));
        }
      });
      Promise.all(
        Array.from(slugs).map(function (slug) {
          return fetchJSON(layerUrl({ partnership: slug }));
        })
      ).then(function (collections) {
        if (request !== state.panelRequest || !state.partners) {
          return;
        }
        const seen = new Set();
        collections.forEach(function (collection) {
          collection.features.forEach(function (feature) {
            const gss = feature.properties.gss_code;
            if (!missing.has(gss) || seen.has(gss)) {
              return;
            }
            seen.add(gss);
            const colour = partnerColour(state.partners.get(gss)) || "#6a3d9a";
            const outline = L.geoJSON(feature, {
              pane: "highlight",
              style: {
                color: colour,
                weight: 5,
                dashArray: "10 5",
                fill: false,
                className: "map-partner-outline",
              },
            });
            outline.bindTooltip(textTip(labelFor(feature.properties) + " (on the other layer)"), {
              sticky: true,
            });
            outline.eachLayer(function (layer) {
              layer.on("add", function () {
                const path = layer.getElement();
                if (path) {
                  path.setAttribute("data-gss", gss);
                }
              });
            });
            state.overlay.addLayer(outline);
          });
        });
        if (seen.size) {
          const items = councilLegend(state.partners);
          items.splice(items.length - 1, 0, {
            dashed: true,
            label: "Partner on the other layer (dashed outline in its colour)",
          });
          showLegend(items);
        }
      });
    }

    function selectCouncil(gss, name, panelUrl) {
      state.selected = gss;
      state.selectedName = name;
      state.partnership = null;
      state.members = null;
      state.overlay.clearLayers();
      restyle();
      updateAddress();
      const request = ++state.panelRequest;
      panel.setAttribute("aria-busy", "true");
      panel.replaceChildren(element("p", "muted", "Loading " + name + "…"));
      fetch(withFilters(panelUrl), {
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
          if (request !== state.panelRequest) {
            return;
          }
          const fragment = new DOMParser().parseFromString(html, "text/html");
          panel.replaceChildren(...fragmentNodes(fragment.body));
          const heading = panel.querySelector(".council-panel__title");
          if (heading) {
            state.selectedName = heading.textContent.trim();
          }
          state.partners = partnersFromPanel();
          restyle();
          showLegend(councilLegend(state.partners));
          drawOtherTierPartners(request);
        })
        .catch(function () {
          const failed = element("p", "", "The partnerships could not be loaded. ");
          const own = element("a", "", "Open them on a page of their own");
          own.href = panelUrl;
          failed.append(own, ".");
          panel.replaceChildren(failed);
        })
        .finally(function () {
          panel.removeAttribute("aria-busy");
        });
    }

    function showPanel(feature) {
      const props = feature.properties;
      selectCouncil(props.gss_code, props.name, props.panel_url);
    }

    function partnershipPanel(data) {
      const body = element("div", "council-panel__body");
      body.setAttribute("data-partnership", data.slug);
      const title = element("h2", "council-panel__title");
      title.setAttribute("tabindex", "-1");
      const link = element("a", "", data.name);
      link.href = data.url;
      title.appendChild(link);
      body.appendChild(title);
      if (data.categories.length) {
        const tags = element("div");
        data.categories.forEach(function (name) {
          tags.appendChild(element("span", "tag", name));
        });
        body.appendChild(tags);
      }
      body.appendChild(
        element(
          "p",
          "",
          data.members.length + (data.members.length === 1 ? " member council" : " member councils") + ", highlighted on the map:"
        )
      );
      const members = element("ul", "council-panel__list");
      data.members.forEach(function (member) {
        const li = element("li");
        li.setAttribute("data-member", member.gss_code);
        const a = element("a", "", member.name);
        a.href = member.url;
        li.appendChild(a);
        if (member.lead) {
          li.appendChild(document.createTextNode(" (lead)"));
        }
        members.appendChild(li);
      });
      body.appendChild(members);
      if (data.bodies.length) {
        body.appendChild(element("p", "", "Public-body partners, drawn on the map:"));
        const bodies = element("ul", "council-panel__list");
        data.bodies.forEach(function (partner) {
          const how = partner.area
            ? "outlined: the area of " + partner.covers.length + (partner.covers.length === 1 ? " council" : " councils") + " it covers"
            : "marked with a labelled pin at the centre of the member councils";
          bodies.appendChild(element("li", "", partner.name + " (" + partner.sector + ", " + partner.kind + ") – " + how));
        });
        body.appendChild(bodies);
      }
      return body;
    }

    function selectPartnership(slug) {
      const request = ++state.panelRequest;
      state.selected = null;
      state.partners = null;
      panel.setAttribute("aria-busy", "true");
      panel.replaceChildren(element("p", "muted", "Loading the partnership…"));
      Promise.all([
        fetchJSON(config.partnershipUrl.replace("__slug__", encodeURIComponent(slug))),
        fetchJSON(layerUrl({ partnership: slug })),
      ])
        .then(function ([data, members]) {
          if (request !== state.panelRequest) {
            return;
          }
          state.partnership = data;
          state.members = new Set(
            data.members.map(function (m) {
              return m.gss_code;
            })
          );
          state.overlay.clearLayers();
          const memberLayer = L.geoJSON(members, {
            pane: "highlight",
            style: {
              color: "#0b0c0c",
              weight: 2.5,
              fillColor: "#d4351c",
              fillOpacity: 0.85,
              className: "map-member",
            },
            onEachFeature: function (feature, layer) {
              layer.bindTooltip(textTip(feature.properties.name + ": member of " + data.name), { sticky: true });
              layer.on("add", function () {
                const path = layer.getElement();
                if (path) {
                  path.setAttribute("data-gss", feature.properties.gss_code);
                }
              });
              layer.on("click", function () {
                selectCouncil(feature.properties.gss_code, feature.properties.name, feature.properties.panel_url);
              });
            },
          });
          state.overlay.addLayer(memberLayer);
          const bounds = memberLayer.getLayers().length ? memberLayer.getBounds() : null;
          data.bodies.forEach(function (partner) {
            const label = partner.name + " (" + partner.sector + ")";
            if (partner.area) {
              const area = L.geoJSON(partner.area, {
                interactive: true,
                pane: "highlight",
                style: {
                  color: "#1d70b8",
                  weight: 3,
                  dashArray: "6 4",
                  fill: false,
                  className: "map-body-area",
                },
              });
              area.bindTooltip(textTip(label + ": area covered"), { sticky: true });
              state.overlay.addLayer(area);
              if (bounds) {
                bounds.extend(area.getBounds());
              }
            } else if (partner.marker) {
              const marker = L.marker(partner.marker, {
                title: label,
                alt: label,
                keyboard: true,
                icon: L.divIcon({
                  className: "map-body-marker",
                  html: markerNode(label),
                  iconSize: null,
                }),
              });
              state.overlay.addLayer(marker);
            }
          });
          if (bounds && bounds.isValid()) {
            map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
          }
          panel.replaceChildren(partnershipPanel(data));
          const items = [{ colour: "#d4351c", label: "Member council of " + data.name }];
          if (data.bodies.length) {
            items.push({
              dashed: true,
              label: "Area a public-body partner covers (dashed outline), or a labelled pin",
            });
          }
          items.push({ colour: "#f3f2f1", label: "Not a member" });
          showLegend(items);
          restyle();
          updateAddress();
        })
        .catch(function () {
          panel.replaceChildren(element("p", "", "That partnership could not be shown."));
        })
        .finally(function () {
          panel.removeAttribute("aria-busy");
        });
    }

    function geojsonLayer(data) {
      return L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, layer) {
          const label = labelFor(feature.properties);
          layer.bindTooltip(textTip(label), { sticky: true, direction: "top" });
          layer.on("click", function () {
            showPanel(feature);
          });
          makeFocusable(layer, label, function () {
            showPanel(feature);
          });
          layer.on("add", function () {
            const path = layer.getElement();
            if (path) {
              path.setAttribute("aria-label", labelFor(feature.properties));
            }
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
      return withFilters(config.layerUrl, params);
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
        state.context = fetchJSON(config.layerUrl + "?layer=districts").then(function (data) {
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
        restyle();
        mapElement.setAttribute("data-loaded", loaded);
        mapElement.setAttribute("data-filters", state.filters);
      });
    }

    function showLow(name) {
      if (!state.low[name]) {
        state.low[name] = lowData(name).then(geojsonLayer);
      }
      const filters = state.filters;
      show(
        name,
        state.low[name],
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

    // Filters: the form works as a plain GET without JavaScript; with it, the map,
    // the counts and the links follow each change without reloading the page.
    function formQuery() {
      const params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (String(value).trim() !== "") {
          params.append(key, value);
        }
      });
      return params.toString();
    }

    let filterRequest = 0;
    function applyFilters() {
      const query = formQuery();
      const request = ++filterRequest;
      fetch(window.location.pathname + (query ? "?" + query : ""), { credentials: "same-origin" })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          if (request !== filterRequest) {
            return;
          }
          const page = new DOMParser().parseFromString(html, "text/html");
          ["map-results", "map-errors", "map-in-words-summary"].forEach(function (id) {
            const fresh = page.getElementById(id);
            const here = document.getElementById(id);
            if (fresh && here) {
              here.replaceChildren(...fragmentNodes(fresh));
            }
          });
          const freshConfig = JSON.parse(page.getElementById("map-config").textContent);
          state.filters = freshConfig.filterQuery;
          state.lowData = {};
          state.low = {};
          updateAddress();
          refresh();
          if (state.selected) {
            selectCouncil(state.selected, state.selectedName, config.panelUrl.replace("__gss__", state.selected));
          }
        });
    }

    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name !== "sort") {
          applyFilters();
        }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        applyFilters();
      });
    }

    panel.addEventListener("click", function (event) {
      const button = event.target.closest("[data-show-partnership]");
      if (button) {
        selectPartnership(button.getAttribute("data-show-partnership"));
      }
    });

    // The search box: a council is chosen on the map, a partnership highlighted.
    document.addEventListener("search:choose", function (event) {
      const item = event.detail.item;
      if (event.detail.kind === "council") {
        if (!item.current) {
          return; // former councils are not on the map: go to their page
        }
        event.preventDefault();
        // A county council is drawn on the county layer: switch to it.
        const wanted = item.type === "County council" ? "counties" : "districts";
        if (wanted !== state.layer && groups[wanted]) {
          map.removeLayer(groups[state.layer]);
          groups[wanted].addTo(map);
          state.layer = wanted;
          refresh();
        }
        selectCouncil(item.gss_code, item.name, item.panel_url);
        (state.low[wanted] || Promise.resolve(null)).then(function (geojson) {
          let found = null;
          if (geojson) {
            geojson.eachLayer(function (layer) {
              if (layer.feature.properties.gss_code === item.gss_code) {
                found = layer;
              }
            });
          }
          if (found && map.getZoom() < config.detailZoom) {
            map.fitBounds(found.getBounds(), { maxZoom: 8, padding: [40, 40] });
          }
        });
      } else if (event.detail.kind === "partnership") {
        event.preventDefault();
        selectPartnership(item.slug);
      }
    });

    if (config.partnership) {
      selectPartnership(config.partnership);
    } else if (config.council) {
      selectCouncil(config.council, config.council, config.panelUrl.replace("__gss__", config.council));
    }
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
