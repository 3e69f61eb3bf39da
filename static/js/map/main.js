/* The national map of councils (#council-map), with its panel, legends and filters,
   and the small map of one partnership's members (#partnership-map). Leaflet comes
   from django-leaflet's static files (the global L), htmx from django-htmx's; no tiles
   unless the page's config names a tile server. */

import { fitFilters } from "../fit-filters.js";
import { addTiles } from "./dom.js";
import { connectFilters } from "./filters.js";
import { createHighlights } from "./highlight.js";
import { createLayers } from "./layers.js";
import { createLegend, paintSwatches } from "./legend.js";
import { createPanel } from "./panel.js";
import { initPartnershipMap } from "./partnership-map.js";
import { createSelection } from "./selection.js";
import { addPatterns, createStyler } from "./styles.js";

function initCouncilMap(mapElement, config) {
  addPatterns();
  paintSwatches(document);
  const map = L.map(mapElement, {
    minZoom: config.minZoom,
    maxZoom: config.maxZoom,
    zoomSnap: 0.25,
    // The shapes' SVG no larger than the map: zoomed in, Leaflet's default margin
    // (10%) reaches over the page above, and axe counts the paths there as targets
    // covering the filters' button (WCAG 2.5.8).
    renderer: L.svg({ padding: 0 }),
    maxBounds: [
      [48.5, -9.5],
      [57, 5],
    ],
  });
  map.fitBounds(config.bounds);
  addTiles(map, config.tileUrl, config.tileAttribution);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: ONS, OGL v3.0");

  // What is chosen, read by the styles and changed by the selection and the filters.
  const state = {
    layer: "districts",
    filters: config.filterQuery || "",
    layerFiles: config.layerFiles || {}, // {layer: {detail: address}} of the year's councils
    selected: null, // GSS code of the chosen council
    selectedName: "",
    partners: null, // Map of GSS code -> [{partnership, category, categoryName}]
    partnership: null, // highlight data of the chosen partnership
    members: null, // Set of its member councils' GSS codes
  };
  const styler = createStyler(config, state);
  const highlights = createHighlights(map);
  let selection = null;
  const layers = createLayers({
    map: map,
    mapElement: mapElement,
    config: config,
    state: state,
    styler: styler,
    onChoose: function (props) {
      selection.selectCouncil(props.gss_code, props.name, props.panel_url);
    },
  });
  const panel = createPanel(document.getElementById("council-panel"), {
    onShowPartnership: function (slug) {
      selection.selectPartnership(slug);
    },
    onClose: function () {
      selection.close();
    },
  });
  // "Skip the map" lands on the panel: the chosen council's or partnership's heading.
  const skip = document.querySelector(".map-skip");
  if (skip) {
    skip.href = "#council-panel";
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      panel.focusHeading();
    });
  }
  const legend = createLegend(
    document.getElementById("highlight-legend"),
    document.getElementById("highlight-legend-items"),
    function () {
      selection.clear();
    }
  );
  selection = createSelection({
    map,
    mapElement,
    config,
    state,
    styler,
    layers,
    panel,
    legend,
    highlights,
  });
  layers.refresh();

  const form = document.getElementById("filters-form");
  if (form) {
    connectFilters(form, mapElement, function (filterQuery, detail) {
      state.filters = filterQuery;
      if (detail && detail.layerFiles) {
        state.layerFiles = detail.layerFiles;
      }
      selection.updateAddress();
      layers.filtersChanged();
      if (state.selected) {
        selection.selectCouncil(
          state.selected,
          state.selectedName,
          selection.councilUrl(state.selected),
          { focus: false, zoom: false }
        );
      }
    });
  }

  // The search box (search.js): a council is chosen on the map, a partnership
  // highlighted.
  document.addEventListener("search:choose", function (event) {
    const item = event.detail.item;
    if (event.detail.kind === "council") {
      if (!item.current) {
        return; // former councils are not on the map: go to their page
      }
      event.preventDefault();
      event.target.dataset.chosen = item.name; // a choice, not a name filter (filters.js)
      // A county council is drawn on the county layer: switch to it.
      const wanted = item.type === "County council" ? "counties" : "districts";
      layers.switchTo(wanted);
      selection.selectCouncil(item.gss_code, item.name, item.panel_url);
    } else if (event.detail.kind === "partnership") {
      event.preventDefault();
      event.target.dataset.chosen = item.name;
      selection.selectPartnership(item.slug);
    }
  });

  // A link opened: the map zooms to its choice, and focus stays at the page's start.
  if (config.partnership) {
    selection.selectPartnership(config.partnership, { focus: false });
  } else if (config.council) {
    selection.selectCouncil(config.council, config.council, selection.councilUrl(config.council), {
      focus: false,
    });
  }
}

function start() {
  const councilMap = document.getElementById("council-map");
  const config = document.getElementById("map-config");
  if (councilMap && config) {
    // The map, its help and legends are hidden in the page until there is a map.
    document.querySelectorAll("[data-needs-script]").forEach(function (part) {
      part.hidden = false;
    });
    const filters = document.getElementById("filters-disclosure");
    if (filters) {
      fitFilters(filters);
    }
    initCouncilMap(councilMap, JSON.parse(config.textContent));
  }
  const partnershipMap = document.getElementById("partnership-map");
  if (partnershipMap) {
    initPartnershipMap(partnershipMap);
  }
}

// htmx reads its settings (the page's htmx-config meta) and starts listening when the
// document is ready; start after it. A module runs before DOMContentLoaded.
if (document.readyState === "complete") {
  start();
} else {
  document.addEventListener("DOMContentLoaded", start, { once: true });
}
