// The box to find a partner by name is static/js/choice-filter.js, shared with the
// proposal form.

// After a save that a colleague's change stopped, start at what they changed (the error
// summary takes the focus by itself: static/js/error-summary.js).
(function () {
  "use strict";
  var conflict = document.getElementById("conflict");
  if (conflict && !document.getElementById("error-summary") && !window.location.hash) { conflict.focus(); }
})();
