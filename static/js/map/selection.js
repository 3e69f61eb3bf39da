/* Choosing a council or a partnership on the map, and keeping the choice in the
   address (`selected` or `partnership`, beside the filters) so a shared link shows it.
   A council's panel names its partners; the map highlights them. */

import { fetchJSON, withFilters } from "./dom.js";
import { councilItems, partnershipItems } from "./legend.js";
import { SEVERAL } from "./styles.js";

export function createSelection({ config, state, styler, layers, panel, legend, highlights }) {
  // Each choice gets a number; an answer for an older choice is dropped.
  let request = 0;

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

  function selectCouncil(gss, name, panelUrl) {
    const mine = ++request;
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

  function selectPartnership(slug) {
    const mine = ++request;
    panel.cancel();
    state.selected = null;
    state.partners = null;
    panel.loading("Loading the partnership…");
    Promise.all([
      fetchJSON(config.partnershipUrl.replace("__slug__", encodeURIComponent(slug))),
      fetchJSON(layers.layerUrl({ partnership: slug })),
    ])
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
        highlights.drawPartnership(data, members, function (props) {
          selectCouncil(props.gss_code, props.name, props.panel_url);
        });
        panel.showPartnership(data);
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

  return {
    clear: clear,
    councilUrl: councilUrl,
    selectCouncil: selectCouncil,
    selectPartnership: selectPartnership,
    updateAddress: updateAddress,
  };
}
