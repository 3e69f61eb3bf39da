// The error summary (core/templates/core/forms/error_summary.html), on every page that
// shows one: the focus moves to it, so the problems are read out first, and each link in
// it lands on the first input of its question (opening a closed group on the way).
// Without scripts the summary is still first in the main content and its links go to
// the field's row.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.querySelectorAll("a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      if (!input) { return; }
      event.preventDefault();
      var details = input.closest("details");
      if (details) { details.open = true; }
      input.focus();
      (target.closest(".field") || target).scrollIntoView();
    });
  });
})();
