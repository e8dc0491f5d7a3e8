// "New conversation with a customer on file": the new-project fields show only while
// "A new project" is chosen. Without this script they stay visible, labelled
// "only for a new project", and the server ignores them for an existing project.
(function () {
  "use strict";

  function wire(form) {
    var choice = form.querySelector("[data-project-choice]");
    if (!choice) return;
    var fields = Array.prototype.map.call(form.querySelectorAll("[data-new-project-only]"), function (input) {
      return input.closest(".mb-3") || input.parentElement;
    });
    function sync() {
      var isNew = choice.value === "new";
      fields.forEach(function (wrapper) {
        wrapper.hidden = !isNew;
      });
    }
    choice.addEventListener("change", sync);
    sync();
  }

  function init() {
    document.querySelectorAll("form[data-returning-start]").forEach(wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
