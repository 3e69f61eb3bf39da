// Unsaved changes on the questionnaire's forms (those marked data-unsaved-warning: one
// partnership's page, a new collaboration, every partnership on one page). A form counts
// as changed from the first thing typed or ticked in it, and leaving the page then asks
// first (the browser's own "Leave site?" question); sending the form clears it. A form
// shown again with an answer not yet saved (a problem, or a colleague's save) starts
// changed (data-unsaved). Without scripts nothing asks, and the all-on-one-page view's
// Save all still keeps every text.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-warning]"));
  if (!forms.length) { return; }
  forms.forEach(function (form) {
    var mark = function (event) {
      // Only what the form sends: a box to find a partner by name has no name.
      if (event.target.name) { form.setAttribute("data-unsaved", ""); }
    };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { form.removeAttribute("data-unsaved"); });
  });
  window.addEventListener("beforeunload", function (event) {
    var unsaved = forms.some(function (form) { return form.hasAttribute("data-unsaved"); });
    if (!unsaved) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers ask only when this is set
  });
})();
