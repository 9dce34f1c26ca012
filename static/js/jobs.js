// Live progress of a job: poll its JSON every 1.5 s, rewrite the bar, reload when it ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.final === "true") return;
  var labels = JSON.parse(box.dataset.labels || "{}");
  var url = box.dataset.statusUrl;

  function duration(s) {
    s = Math.round(s || 0);
    if (s < 60) return fill(labels.seconds, {s: s});
    var r = s % 60;
    return fill(labels.minutes, {m: Math.floor(s / 60), s: (r < 10 ? "0" : "") + r});
  }
  function number(n) {
    return Number(n).toLocaleString(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB");
  }
  function fill(text, values) {
    // the server's translated format strings, %(name)s
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  function show(state) {
    var status = box.querySelector("[data-field=status]");
    if (status) status.textContent = labels[state.status] || state.status;
    var stage = box.querySelector("[data-field=stage]");
    if (stage) stage.textContent = state.stage ? "· " + (labels[state.stage] || state.stage) : "";
    var pct = state.total ? Math.round(100 * state.done / state.total) : 0;
    var bar = box.querySelector(".bar");
    bar.setAttribute("aria-valuenow", pct);
    bar.firstElementChild.style.width = pct + "%";
    var parts = [];
    parts.push(state.total === null ? labels.counting
      : fill(labels.of, {done: number(state.done), total: number(state.total)}));
    if (state.elapsed_seconds !== null) parts.push(fill(labels.elapsed, {t: duration(state.elapsed_seconds)}));
    if (state.remaining_seconds !== null) parts.push(fill(labels.left, {t: duration(state.remaining_seconds)}));
    box.querySelector("[data-field=counts]").textContent = parts.join(" · ");
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) { setTimeout(poll, 3000); return; }
        show(state);
        if (state.final) { window.location.reload(); return; }
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 3000); });  // a dropped link: keep trying
  }
  setTimeout(poll, 1000);
})();
