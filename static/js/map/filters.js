/* The filter form and the map. Without JavaScript the form is a plain GET that draws
   the page again; with it, each change asks the map page for its filtered parts with
   htmx (the view answers with a fragment of out-of-band swaps: the counts, the links,
   the problems), and its "map:filtered" event carries the filters the server
   understood, for the shading to follow. */

// The form's filled-in fields as a query string (blank fields left out).
function formQuery(form) {
  const params = new URLSearchParams();
  new FormData(form).forEach(function (value, key) {
    if (String(value).trim() !== "") {
      params.append(key, value);
    }
  });
  return params.toString();
}

// `source` is an element that stays on the page (the map), carrying hx-sync so that a
// newer change replaces a request still on its way.
export function connectFilters(form, source, onFiltered) {
  function apply() {
    const query = formQuery(form);
    htmx
      .ajax("GET", window.location.pathname + (query ? "?" + query : ""), {
        source: source,
        target: source,
        swap: "none",
      })
      .catch(function () {
        // Replaced by a newer change, or the network failed: the page stays as it was.
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "sort") {
      apply();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  source.addEventListener("map:filtered", function (event) {
    onFiltered(event.detail.filterQuery, event.detail);
  });
}
