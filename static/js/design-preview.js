// Live preview of a certificate design: the form's fields (not the files) go to the preview
// endpoint as a query; the PNG it answers replaces the image. No inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("design-form");
  var image = document.getElementById("design-preview");
  var link = document.getElementById("preview-pdf");
  if (!form || !image) { return; }
  var timer = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrf_token") { params.append(key, value); }
    });
    if (form.dataset.design) { params.set("design", form.dataset.design); }
    return params.toString();
  }

  function refresh() {
    var q = query();
    image.setAttribute("aria-busy", "true");
    image.src = form.dataset.preview + "?" + q;
    if (link) { link.href = link.href.split("?")[0] + "?" + q; }
  }

  image.addEventListener("load", function () {
    image.removeAttribute("aria-busy");
    image.dataset.query = image.src.split("?")[1] || "";
  });
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 100);
  });
  refresh();
}());
