// Results without a connection: when the tablet is offline the scores are kept on the device
// (one item per person, sent by the sync loop) instead of a form post that could not arrive.
(function () {
  "use strict";
  var form = document.querySelector("form.results-form"), off = window.trainerOffline;
  if (!form || !off || !off.enabled) return;
  form.addEventListener("submit", function (event) {
    if (!off.isOffline()) return;  // online: the ordinary form, all or nothing
    event.preventDefault();
    var inputs = form.querySelectorAll("input[data-staff-code]"), scores = [], bad = false;
    for (var i = 0; i < inputs.length; i++) {
      var raw = inputs[i].value.trim().replace(",", ".");
      var cell = inputs[i].parentNode;
      var wrong = raw !== "" && !(/^\d+(\.\d+)?$/.test(raw) && +raw <= 100);
      cell.classList.toggle("has-error", wrong);
      bad = bad || wrong;
      if (raw !== "" && !wrong) scores.push({ staff_code: inputs[i].getAttribute("data-staff-code"), score: raw });
    }
    if (bad) return;
    var session = +form.getAttribute("data-session-id");
    scores.reduce(function (done, s) {
      return done.then(function () {
        return off.queue({ kind: "result", session: session, staff_code: s.staff_code, score: s.score });
      });
    }, Promise.resolve()).then(function () {
      window.alert(off.t("results-saved", { n: scores.length }));
      window.location.href = form.getAttribute("data-session-url");
    });
  });
})();
