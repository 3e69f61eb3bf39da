/* A page's filters in a <details>, open in the page (for wide screens and for browsers
   without scripts): folded on a narrow screen unless a filter is in error, and opened
   or folded again when the width crosses the line. The map (map/main.js) calls
   fitFilters on its own; loaded as a module by a list page, this fits every
   details[data-fit-filters]. */

// At this width and wider the filters sit open beside the map or the list (site.css).
const WIDE = "(min-width: 72rem)";

export function fitFilters(details) {
  const wide = window.matchMedia(WIDE);
  const inError = details.querySelector(".field--error") !== null;
  details.open = wide.matches || inError;
  wide.addEventListener("change", function (event) {
    details.open = event.matches;
  });
}

document.querySelectorAll("details[data-fit-filters]").forEach(fitFilters);
