/* The filter form and the map. Without JavaScript the form is a plain GET that draws
   the page again; with it, each change asks the map page for its filtered parts with
   htmx (the view answers with a fragment of out-of-band swaps: the counts, the links,
   the problems), and its "map:filtered" event carries the filters the server
   understood, for the shading to follow. The map's search box is the form's name
   field (form="filters-form") outside it: it filters when Enter or its button sends
   the form, not when a council or partnership is chosen from its suggestions. */

// The form's filled-in fields as a query string (blank fields left out). A name chosen
// from the search box's suggestions (data-chosen, set by the map) is a choice on the
// map, not a filter.
function formQuery(form) {
  const params = new URLSearchParams();
  new FormData(form).forEach(function (value, key) {
    const field = form.elements.namedItem(key);
    if (field && field.dataset && field.dataset.chosen === value) {
      return;
    }
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
    if (event.target.name !== "sort" && event.target.name !== "q") {
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
