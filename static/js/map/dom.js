/* Small helpers the map's modules share. Text from the data always goes in as text
   (textContent), never as HTML. */

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

// A tooltip's content as a node: Leaflet sets a string tooltip as HTML.
export function textTip(text) {
  return element("span", "", text);
}

// A public body's pin with its name beside it, built as nodes (a divIcon's html string
// would be parsed as HTML).
export function markerNode(label) {
  const node = element("span", "map-body-marker__content");
  const pin = element("span", "map-body-marker__pin");
  pin.setAttribute("aria-hidden", "true");
  node.append(pin, element("span", "map-body-marker__label", label));
  return node;
}

export function pluralPartnerships(count) {
  return count + (count === 1 ? " partnership" : " partnerships");
}

export function fetchJSON(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) {
      throw new Error(response.status + " " + url);
    }
    return response.json();
  });
}

// `url` with the filters in force (a query string) and `extra` parameters on top.
export function withFilters(url, filters, extra) {
  const params = new URLSearchParams(filters);
  Object.entries(extra || {}).forEach(function ([key, value]) {
    params.set(key, value);
  });
  const query = params.toString();
  return url + (query ? (url.indexOf("?") >= 0 ? "&" : "?") + query : "");
}

export function addTiles(map, url, attribution) {
  if (url) {
    L.tileLayer(url, { attribution: attribution || "" }).addTo(map);
  }
}
