/* The legends beside the map: the shading's (drawn by the server, its colours given as
   data) and the highlight's, which says what the colours mean for the council or
   partnership chosen. */

import { element } from "./dom.js";
import { DIMMED } from "./styles.js";

const NOTHING_SHOWN = { colour: DIMMED, label: "Shares nothing shown" };

// The server gives each swatch's colour as data: the CSP refuses style attributes.
export function paintSwatches(root) {
  root.querySelectorAll(".map-legend__swatch[data-colour]").forEach(function (swatch) {
    swatch.style.background = swatch.getAttribute("data-colour");
  });
}

export function createLegend(figure, list, onClear) {
  function swatchFor(item) {
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
    return swatch;
  }

  // Items are {label, colour?, hatch?, outline?, dashed?}; none hides the legend.
  function show(items) {
    list.replaceChildren();
    if (!items) {
      figure.hidden = true;
      return;
    }
    items.forEach(function (item) {
      const li = element("li");
      li.append(swatchFor(item), document.createTextNode(item.label));
      list.appendChild(li);
    });
    const clear = element("li");
    const button = element("button", "link-button", "Clear the highlight");
    button.type = "button";
    button.addEventListener("click", onClear);
    clear.appendChild(button);
    list.appendChild(clear);
    figure.hidden = false;
  }

  return { show: show };
}

// What a chosen council's highlight means: the council, each category its partners
// share (or a hatch for several), and the rest. `otherTier` adds the dashed outlines of
// partners on the other layer.
export function councilItems(partners, selectedName, styler, otherTier) {
  const used = new Map();
  let several = false;
  partners.forEach(function (shared) {
    const colour = styler.partnerColour(shared);
    if (!colour) {
      several = true;
      return;
    }
    const category = styler.category(shared[0].category);
    used.set(shared[0].category, {
      colour: colour,
      label: category ? category.name : shared[0].categoryName || "No category",
    });
  });
  const items = [{ outline: true, label: selectedName + " (chosen, thick outline)" }];
  used.forEach(function (item) {
    items.push(item);
  });
  if (several) {
    items.push({ hatch: true, label: "Shares several kinds of service" });
  }
  if (otherTier) {
    items.push({
      dashed: true,
      label: "Partner on the other layer (dashed outline in its colour)",
    });
  }
  items.push(NOTHING_SHOWN);
  return items;
}

export function partnershipItems(data) {
  const items = [{ colour: "#d4351c", label: "Member council of " + data.name }];
  if (data.bodies.length) {
    items.push({
      dashed: true,
      label: "Area a public-body partner covers (dashed outline), or a labelled pin",
    });
  }
  items.push({ colour: DIMMED, label: "Not a member" });
  return items;
}
