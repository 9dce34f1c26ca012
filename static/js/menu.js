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

// A list's filters (details.filter-box, templates/_macros/forms.html) open by default where
// the screen has room for them; on a phone they stay folded unless a filter is in use.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 40.0625rem)").matches) return;
  var boxes = document.querySelectorAll("details[data-open-wide]");
  for (var i = 0; i < boxes.length; i++) boxes[i].open = true;
})();

// The menu's groups (Administration, the account; details.submenu): one open at a time, and
// closed by Escape or a click elsewhere, as a drop-down menu is.
(function () {
  "use strict";
  var groups = document.querySelectorAll("details.submenu");
  if (!groups.length) return;
  function closeAll(except) {
    for (var i = 0; i < groups.length; i++) {
      if (groups[i] !== except) groups[i].open = false;
    }
  }
  for (var i = 0; i < groups.length; i++) {
    groups[i].addEventListener("toggle", function (event) {
      if (event.target.open) closeAll(event.target);
    });
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("details.submenu")) closeAll(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].open) {
        groups[i].open = false;
        groups[i].querySelector("summary").focus();
      }
    }
  });
})();
