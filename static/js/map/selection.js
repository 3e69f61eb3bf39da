/* Choosing a council or a partnership on the map, and keeping the choice in the
   address (`selected` or `partnership`, beside the filters) so a shared link shows it.
   A council's panel names its partners; the map highlights them. */

import { fetchJSON, withFilters } from "./dom.js";
import { councilItems, partnershipItems } from "./legend.js";
import { SEVERAL } from "./styles.js";

// Zooming to a chosen council stops here, so that a small borough keeps its
// neighbours in view.
const SELECT_MAX_ZOOM = 10;
// At national scale (below this zoom) a chosen council is a speck: zoom to it.
const SELECT_MIN_ZOOM = 8;

export function createSelection({
  map,
  mapElement,
  config,
  state,
  styler,
  layers,
  panel,
  legend,
  highlights,
}) {
  // Each choice gets a number; an answer for an older choice is dropped.
  let request = 0;
  // The council to give focus back to when the panel is closed.
  let returnTo = null;

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

  function clear() {
    state.selected = null;
    state.partners = null;
    state.partnership = null;
    state.members = null;
    highlights.clear();
    legend.show(null);
    layers.restyle();
    updateAddress();
  }

  // Partners on the other layer (a county sharing with a district, or the reverse)
  // are outlined over the map, in the colour of what they share.
  function drawOtherTierPartners(mine) {
    const drawn = new Set();
    layers.eachCouncil(function (layer) {
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
    const slugs = panel.partnershipsWith(missing);
    Promise.all(
      slugs.map(function (slug) {
        return fetchJSON(layers.layerUrl({ partnership: slug }));
      })
    ).then(function (collections) {
      if (mine !== request || !state.partners) {
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
          const colour = styler.partnerColour(state.partners.get(gss)) || SEVERAL;
          highlights.outlinePartner(feature, colour, styler.label(feature.properties));
        });
      });
      if (seen.size) {
        legend.show(councilItems(state.partners, state.selectedName, styler, true));
      }
    });
  }

  // The map fitted to a council's shape (its light one, on either layer), unless it
  // is in view at a useful zoom.
  function zoomTo(gss) {
    return layers.featuresFor([gss]).then(function (found) {
      if (!found.features.length) {
        return;
      }
      const bounds = L.geoJSON(found.features[0]).getBounds();
      if (map.getZoom() < SELECT_MIN_ZOOM || !map.getBounds().contains(bounds)) {
        map.fitBounds(bounds, { maxZoom: SELECT_MAX_ZOOM, padding: [40, 40] });
      }
    });
  }

  // `options.focus`: move focus into the panel once it is shown (a choice by the user,
  // not a link opened); `options.zoom`: fit the map to the council.
  function selectCouncil(gss, name, panelUrl, options) {
    const how = Object.assign({ focus: true, zoom: true }, options || {});
    const mine = ++request;
    returnTo = gss;
    if (how.zoom) {
      zoomTo(gss);
    }
    state.selected = gss;
    state.selectedName = name;
    state.partnership = null;
    state.members = null;
    highlights.clear();
    layers.restyle();
    updateAddress();
    panel.loading("Loading " + name + "…");
    panel
      .loadCouncil(withFilters(panelUrl, state.filters))
      .then(function (shown) {
        if (mine !== request) {
          return;
        }
        if (!shown) {
          throw new Error("refused");
        }
        state.selectedName = panel.councilName() || name;
        state.partners = panel.partners();
        if (how.focus) {
          panel.focusHeading();
        }
        layers.restyle();
        legend.show(councilItems(state.partners, state.selectedName, styler, false));
        drawOtherTierPartners(mine);
      })
      .catch(function () {
        if (mine === request) {
          panel.failed("The partnerships could not be loaded. ", {
            text: "Open them on a page of their own",
            href: panelUrl,
          });
        }
      })
      .finally(function () {
        if (mine === request) {
          panel.done();
        }
      });
  }

  function councilUrl(gss) {
    return config.panelUrl.replace("__gss__", gss);
  }

  // A partnership's member councils as GeoJSON features: from the layer files the
  // map has, or, for members those files do not hold (councils of another year, or
  // former ones counted through their successors), the server's own selection.
  function memberFeatures(slug, data) {
    const codes = data.members.map(function (m) {
      return m.gss_code;
    });
    return layers.featuresFor(codes).then(function (result) {
      if (!result.missing.length) {
        return result.features;
      }
      return fetchJSON(layers.layerUrl({ partnership: slug })).then(function (collection) {
        return collection.features;
      });
    });
  }

  function selectPartnership(slug, options) {
    const how = Object.assign({ focus: true }, options || {});
    const mine = ++request;
    panel.cancel();
    // Shown from a council's panel, closing it goes back to that council.
    if (!state.selected) {
      returnTo = null;
    }
    state.selected = null;
    state.partners = null;
    panel.loading("Loading the partnership…");
    fetchJSON(config.partnershipUrl.replace("__slug__", encodeURIComponent(slug)))
      .then(function (data) {
        return memberFeatures(slug, data).then(function (members) {
          return [data, members];
        });
      })
      .then(function ([data, members]) {
        if (mine !== request) {
          return;
        }
        state.partnership = data;
        state.members = new Set(
          data.members.map(function (m) {
            return m.gss_code;
          })
        );
        members.forEach(function (feature) {
          state.members.add(feature.properties.gss_code);
        });
        highlights.drawPartnership(data, members, function (props) {
          selectCouncil(props.gss_code, props.name, props.panel_url);
        });
        panel.showPartnership(data);
        if (how.focus) {
          panel.focusHeading();
        }
        legend.show(partnershipItems(data));
        layers.restyle();
        updateAddress();
      })
      .catch(function () {
        if (mine === request) {
          panel.failed("That partnership could not be shown.");
        }
      })
      .finally(function () {
        if (mine === request) {
          panel.done();
        }
      });
  }

  // The panel closed: nothing chosen, and focus back on the council last chosen (its
  // shape as drawn now, whichever detail), or on the map.
  function close() {
    const gss = returnTo;
    clear();
    panel.showIntro();
    const target = gss
      ? mapElement.querySelector(
          'path.map-council.leaflet-interactive[data-gss="' + CSS.escape(gss) + '"]'
        )
      : null;
    (target || mapElement).focus();
  }

  return {
    clear: clear,
    close: close,
    councilUrl: councilUrl,
    selectCouncil: selectCouncil,
    selectPartnership: selectPartnership,
    updateAddress: updateAddress,
  };
}
