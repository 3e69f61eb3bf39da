// Progressive enhancement for the start form: show only the questions for the kind of
// tracker chosen. Without JavaScript every question shows and the server ignores the
// ones that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("[data-tracker-start]");
  if (!form) return;
  var groups = form.querySelectorAll("[data-for]");
  var radios = form.querySelectorAll('input[name="for_what"]');

  function update() {
    var chosen = form.querySelector('input[name="for_what"]:checked');
    groups.forEach(function (group) {
      group.hidden = Boolean(chosen) && group.getAttribute("data-for") !== chosen.value;
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
