// Progressive enhancement for the questionnaire: a box to find a partner by name in the
// long lists of councils and public bodies. Without it every group can still be opened
// and ticked by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-partner-filter]").forEach(function (fieldset, index) {
    var legend = fieldset.querySelector("legend");
    var id = "partner-filter-" + index;
    var wrap = document.createElement("div");
    wrap.className = "partner-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Find by name in " + legend.textContent.toLowerCase().split(" (")[0];
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "field__hint";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    var firstGroup = fieldset.querySelector("details");
    fieldset.insertBefore(wrap, firstGroup);
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      var found = 0;
      fieldset.querySelectorAll("details").forEach(function (group) {
        var any = false;
        group.querySelectorAll("li").forEach(function (row) {
          var match = !text || row.textContent.toLowerCase().indexOf(text) !== -1;
          row.hidden = !match;
          if (match) { any = true; found += 1; }
        });
        group.hidden = !any;
        if (text) { group.open = any; }
      });
      status.textContent = text ? found + " found" : "";
    });
  });
})();

// After a save that a colleague's change stopped, start at what they changed (the error
// summary takes the focus by itself: static/js/error-summary.js).
(function () {
  "use strict";
  var conflict = document.getElementById("conflict");
  if (conflict && !document.getElementById("error-summary") && !window.location.hash) { conflict.focus(); }
})();
