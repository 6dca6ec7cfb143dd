// Follow the system's light or dark setting with Bootstrap's colour modes. Loaded in <head>,
// before the body is drawn, so a dark system never flashes a light page; and it keeps
// following if the setting changes while the page is open (an OS switching at sunset).
// A file of its own: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  }
  apply();
  dark.addEventListener("change", apply);
})();
