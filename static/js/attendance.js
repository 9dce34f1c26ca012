// One-tap attendance: send the mark in the background and show it at once.
// Without this script the buttons are ordinary forms and the page reloads.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("mark-form") || !window.fetch) return;
    event.preventDefault();
    var group = form.parentNode;
    var button = form.querySelector("button");
    group.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      var buttons = group.querySelectorAll("button.mark");
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", "false");
      button.setAttribute("aria-pressed", "true");
    }).catch(function () {
      form.submit();  // weak connection or an error: fall back to the plain form
    }).then(function () {
      group.removeAttribute("aria-busy");
    });
  });
})();
