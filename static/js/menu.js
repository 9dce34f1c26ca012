// The top menu is a <details> (static/css/app.css): folded into one button on a phone, a
// row from 40rem up. Browsers that cannot show a closed <details>' content by CSS
// (::details-content) get it opened here when the screen is wide; without JavaScript the
// "Menu" button still opens it.
(function () {
  "use strict";
  var menu = document.getElementById("menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 40.0625rem)");
  function fit() {
    menu.open = wide.matches;
  }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
