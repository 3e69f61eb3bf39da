// A box to find a partner by name in the long lists of councils and public bodies
// (templates/submissions/_partner_groups.html: [data-partner-filter] fieldsets of
// <details> groups of ticks). Without it every group can still be opened and ticked by
// hand. Names are compared without case, accents or punctuation, so "st albans" finds
// "St Albans" and "St. Albans", and "fire" every fire authority. Text is set with
// textContent only.
(function () {
  "use strict";

  function plain(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  document.querySelectorAll("[data-partner-filter]").forEach(function (fieldset, index) {
    var legend = fieldset.querySelector("legend");
    var groups = Array.prototype.slice.call(fieldset.querySelectorAll("details"));
    var wasOpen = groups.map(function (group) { return group.open; });
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
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    fieldset.insertBefore(wrap, groups[0] || null);

    // Enter in the box finds; it does not send the form half filled in.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    input.addEventListener("input", function () {
      var text = plain(input.value);
      var found = 0;
      groups.forEach(function (group, n) {
        var any = false;
        group.querySelectorAll("li").forEach(function (row) {
          var match = !text || plain(row.textContent).indexOf(text) !== -1;
          row.hidden = !match;
          if (match) { any = true; found += 1; }
        });
        group.hidden = !any;
        // Matches shown open; with the box empty again, each group as it was, or open
        // if one of its own is now ticked.
        group.open = text ? any : wasOpen[n] || group.querySelector("input:checked") !== null;
      });
      status.textContent = text ? (found === 1 ? "1 found" : found + " found") : "";
    });
  });
})();
