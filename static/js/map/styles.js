/* How a council's shape is styled and named, from what is chosen: shaded by its count
   of partnerships; or, with a council chosen, its partners in the colour of what they
   share (hatched for several kinds); or, with a partnership chosen, its members. */

import { pluralPartnerships } from "./dom.js";

export const DIMMED = "#f3f2f1";
export const SEVERAL = "#6a3d9a";
const UNKNOWN_CATEGORY = "#cab2d6";

export function classFor(count, classes) {
  for (const cls of classes) {
    if (count >= cls.min && (cls.max === null || count <= cls.max)) {
      return cls;
    }
  }
  return classes[classes.length - 1];
}

// A hatch for councils that share several kinds of service with the chosen council:
// a pattern, so that the difference never rests on colour alone.
export function addPatterns() {
  if (document.getElementById("map-hatch")) {
    return;
  }
  const ns = "http://www.w3.org/2000/svg";
  const svgNode = function (tag, attributes) {
    const node = document.createElementNS(ns, tag);
    Object.entries(attributes).forEach(function ([name, value]) {
      node.setAttribute(name, value);
    });
    return node;
  };
  const svg = svgNode("svg", { width: "0", height: "0", "aria-hidden": "true" });
  svg.style.position = "absolute";
  const pattern = svgNode("pattern", {
    id: "map-hatch",
    width: "8",
    height: "8",
    patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)",
  });
  pattern.append(
    svgNode("rect", { width: "8", height: "8", fill: "#ffffff" }),
    svgNode("rect", { width: "4", height: "8", fill: SEVERAL })
  );
  const defs = svgNode("defs", {});
  defs.appendChild(pattern);
  svg.appendChild(defs);
  document.body.appendChild(svg);
}

// `state` is the map's shared state (what is chosen); the styler only reads it.
export function createStyler(config, state) {
  const categories = new Map(
    config.categories.map(function (category) {
      return [category.slug, category];
    })
  );

  function category(slug) {
    return categories.get(slug) || null;
  }

  // The colour of what a partner shares, or null when it shares several kinds (hatched).
  function partnerColour(shared) {
    const slugs = new Set(
      shared.map(function (s) {
        return s.category;
      })
    );
    if (slugs.size > 1) {
      return null;
    }
    const found = category(shared[0].category);
    return found ? found.colour : UNKNOWN_CATEGORY;
  }

  function partnerOf(gss) {
    return state.partners ? state.partners.get(gss) : null;
  }

  function style(feature, zoom) {
    const props = feature.properties;
    const gss = props.gss_code;
    const selected = gss === state.selected;
    const result = {
      color: config.boundaryColour,
      weight: selected ? 3 : zoom >= config.detailZoom ? 1 : 0.6,
      fillColor: classFor(props.partnerships, config.classes).colour,
      fillOpacity: config.tileUrl ? 0.75 : 1,
      className: "map-council" + (selected ? " map-council--selected" : ""),
    };
    if (state.partners && !selected) {
      const shared = partnerOf(gss);
      if (shared) {
        const colour = partnerColour(shared);
        result.fillColor = colour || SEVERAL;
        result.weight = 1.5;
        result.className += colour
          ? " map-council--partner"
          : " map-council--partner map-council--several";
      } else {
        result.fillColor = DIMMED;
        result.className += " map-council--dimmed";
      }
    } else if (state.members) {
      if (state.members.has(gss)) {
        result.className += " map-council--member";
      } else {
        result.fillColor = DIMMED;
        result.className += " map-council--dimmed";
      }
    }
    return result;
  }

  function label(props) {
    const gss = props.gss_code;
    if (state.partners) {
      if (gss === state.selected) {
        return props.name + " (chosen): " + pluralPartnerships(props.partnerships);
      }
      const shared = partnerOf(gss);
      if (shared) {
        const what = shared
          .map(function (s) {
            return s.partnership + " (" + (s.categoryName || "no category") + ")";
          })
          .join("; ");
        return props.name + ": shares " + what + " with " + state.selectedName;
      }
      return props.name + ": shares nothing shown with " + state.selectedName;
    }
    if (state.members && state.members.has(gss)) {
      return props.name + ": member of " + state.partnership.name;
    }
    return props.name + ": " + pluralPartnerships(props.partnerships);
  }

  return { category: category, partnerColour: partnerColour, style: style, label: label };
}
