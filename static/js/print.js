// A button marked data-print prints the page (the quote): a script file, not an inline onclick,
// so the Content-Security-Policy can refuse every inline script.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
