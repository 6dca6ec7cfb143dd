// Small behaviours any page may use, wired by data attributes: the Content-Security-Policy
// allows no inline script or event handler, so markup only declares what it wants.
(function () {
  "use strict";
  // <input data-select-on-focus>: select the whole value on focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
