/* A council's shape as a keyboard or screen-reader user needs it: focusable, named,
   its tooltip shown on focus, Enter or Space to choose it. */

// Paths are SVG elements Leaflet makes when the layer is added.
export function makeFocusable(layer, label, onActivate) {
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

// Once an overlay's path exists, name the council it draws, for tests and styles.
export function tagWithCouncil(layer, gss) {
  layer.on("add", function () {
    const path = layer.getElement();
    if (path) {
      path.setAttribute("data-gss", gss);
    }
  });
}
