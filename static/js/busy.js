// Forms marked data-confirm ask first. Long work (imports, bulk issuing, accounts for a
// whole unit): once a form marked
// data-busy is sent, disable its button and show the message with a moving bar, so a slow
// mountain connection does not look like a page that hangs.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // a submit another script holds back (attendance.js sends the marks first, then submits
    // again) is neither asked about nor shown busy now, but when it is made again
    if (event.defaultPrevented || !form.getAttribute) return;
    // data-confirm: a question asked before something hard to undo (cancel a session,
    // issue certificates, reset a password, disable an account); data-confirmed: already asked
    var question = form.getAttribute("data-confirm");
    if (form.getAttribute("data-confirmed")) {
      form.removeAttribute("data-confirmed");
    } else if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var message = form.getAttribute && form.getAttribute("data-busy");
    if (!message) return;
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    var note = document.createElement("p");
    note.className = "busy";
    note.setAttribute("role", "status");
    note.textContent = message;
    var bar = document.createElement("progress");
    bar.setAttribute("aria-label", message);
    note.appendChild(document.createElement("br"));
    note.appendChild(bar);
    form.appendChild(note);
  });
})();
