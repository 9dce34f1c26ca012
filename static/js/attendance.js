// One-tap attendance, with or without a connection. A tap is recorded on the device at once
// (IndexedDB, see offline.js) and sent by the sync loop; the row says what has not reached the
// server yet and what another device changed. Without IndexedDB the taps are sent directly,
// and without any script the buttons are ordinary forms.
(function () {
  "use strict";
  var roster = document.getElementById("roster");
  var off = window.trainerOffline;
  if (!roster || !window.fetch) return;
  var sessionId = +roster.getAttribute("data-session-id");

  function press(row, status) {
    var buttons = row.querySelectorAll("button.mark");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].value === status ? "true" : "false");
    }
  }

  if (!off || !off.enabled) {  // the direct way: one request per tap
    document.addEventListener("submit", function (event) {
      var form = event.target, button = event.submitter;
      if (!form.classList.contains("mark-form") || !button) return;
      event.preventDefault();
      var data = new FormData(form);
      data.set("status", button.value);
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) throw r; press(form.closest(".person"), button.value); })
        .catch(function () { form.submit(); });
    });
    return;
  }

  function note(row, text, kind) {
    var span = row.querySelector(".row-note");
    if (!span) return;
    span.hidden = !text;
    span.textContent = text || "";
    span.className = "row-note" + (kind ? " " + kind : "");
  }

  // Marks the server refused for someone whose row is no longer on this page (unenrolled
  // meanwhile): listed above the roster until the trainer hides the list, never dropped.
  function renderGone(refused) {
    var box = document.getElementById("session-refused");
    if (!box) return;
    var list = box.querySelector("ul");
    list.textContent = "";
    refused.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-staff-code", item.staff_code);
      li.textContent = (item.name ? item.name + " (" + item.staff_code + ")" : item.staff_code) + ": " +
        off.t("row-refused", { reason: off.t("reason-" + item.reason) });
      list.appendChild(li);
    });
    box.hidden = !refused.length;
    box.refused = refused;
  }

  function render(list) {
    var latest = {}, pending = 0, results = {}, gone = [];
    list.forEach(function (item) {
      if (item.session !== sessionId) return;
      if (item.state === "pending") pending += 1;
      if (item.state === "refused" && !item.seen &&
          !roster.querySelector(".person[data-staff-code='" + CSS.escape(item.staff_code) + "']")) {
        gone.push(item);
      }
      if (item.kind === "result") {
        if (item.state !== "applied") results[item.staff_code] = item;
        return;
      }
      var seen = latest[item.staff_code];
      if (!seen || seen.device_at < item.device_at) latest[item.staff_code] = item;
    });
    renderGone(gone);
    var badge = document.getElementById("session-pending");
    badge.hidden = !pending;
    badge.textContent = off.t("pending", { n: pending });
    var rows = roster.querySelectorAll(".person[data-staff-code]");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], code = row.getAttribute("data-staff-code"), item = latest[code];
      var server = row.getAttribute("data-status"), serverAt = row.getAttribute("data-marked-at");
      var text = "", kind = "", status = server;
      if (item && item.state === "pending") {
        status = item.status; text = off.t("row-pending");
      } else if (item && item.state === "superseded") {
        status = item.current ? item.current.status : server; text = off.t("row-other"); kind = "other";
      } else if (item && item.state === "refused") {
        text = off.t("row-refused", { reason: off.t("reason-" + item.reason) }); kind = "refused";
      } else if (item && item.state === "applied") {
        // A later mark made elsewhere shows on this freshly loaded page: say so.
        if (serverAt && new Date(serverAt) > new Date(item.device_at) && server !== item.status) {
          text = off.t("row-other"); kind = "other";
        } else {
          status = item.status;
        }
      }
      var result = results[code];
      if (result && !text) {
        text = result.state === "pending" ? off.t("result-pending", { score: result.score })
          : off.t("row-refused", { reason: off.t("reason-" + result.reason) });
        kind = result.state === "pending" ? "" : "refused";
      }
      press(row, status);
      row.setAttribute("data-effective", status || "");
      note(row, text, kind);
    }
  }

  function mark(row, status, extra) {
    press(row, status);
    row.setAttribute("data-effective", status);
    var fields = { kind: "attendance", session: sessionId, staff_code: row.getAttribute("data-staff-code"),
                   name: row.getAttribute("data-name"), status: status, via: "tap" };
    for (var key in extra || {}) fields[key] = extra[key];
    return off.queue(fields);
  }
  window.trainerAttendance = { mark: mark, roster: roster, sessionId: sessionId };

  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    if (form.classList.contains("logout-form") || form.method.toLowerCase() !== "post") return;
    if (form.classList.contains("mark-form")) {
      event.preventDefault();
      if (button && button.name === "status") mark(form.closest(".person"), button.value);
      return;
    }
    if (form.classList.contains("all-present-form")) {
      event.preventDefault();
      var rows = roster.querySelectorAll(".person[data-staff-code]");
      for (var i = 0; i < rows.length; i++) {
        if (!rows[i].getAttribute("data-effective")) mark(rows[i], "present");
      }
      return;
    }
    if (form.getAttribute("data-flushed")) return;
    // Any other change goes to the server: send the marks first, so that they keep their order.
    event.preventDefault();
    if (off.isOffline()) { window.alert(off.t("needs-network")); return; }
    off.syncNow().then(function () {
      form.setAttribute("data-flushed", "1");
      form.requestSubmit(button || undefined);
    });
  });

  var seen = document.getElementById("session-refused-seen");
  if (seen) seen.addEventListener("click", function () {
    var box = document.getElementById("session-refused");
    (box.refused || []).forEach(function (item) { item.seen = true; });  // kept, only hidden
    off.save(box.refused || []).then(off.items).then(render);
  });
  off.onChange(render);
  off.items().then(render);
})();
