// "Copy" buttons (button.copy-button[data-copy]): shown only where the page's script runs,
// they put the text on the clipboard and say so in the status line beside them.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.copy-button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var source = event.currentTarget;
      var status = source.closest("section").querySelector(".copy-status");
      function say(text) {
        if (status) status.textContent = text;
      }
      if (!navigator.clipboard || !navigator.clipboard.writeText) {
        say(source.getAttribute("data-failed"));
        return;
      }
      navigator.clipboard.writeText(source.getAttribute("data-copy")).then(
        function () { say(source.getAttribute("data-copied")); },
        function () { say(source.getAttribute("data-failed")); }
      );
    });
  }
})();
