// File pickers (imports, design images, unsent data): the native "Choose file" control,
// whose words follow the browser's language, becomes a button in the page's language with
// the chosen file's name beside it. Without JavaScript the native input is still there.
(function () {
  "use strict";
  var words = document.body.dataset;
  var inputs = document.querySelectorAll("input[type=file]:not(.visually-hidden)");
  Array.prototype.forEach.call(inputs, function (input) {
    if (!input.id || input.classList.contains("filepick-input")) return;
    var wrap = document.createElement("span");
    wrap.className = "filepick";
    var button = document.createElement("label");
    button.className = "button";
    button.htmlFor = input.id;
    button.textContent = words.fileChoose;
    var name = document.createElement("span");
    name.className = "filepick-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = words.fileNone;
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(name);
    input.classList.add("filepick-input");
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files || [], function (file) {
        return file.name;
      });
      name.textContent = names.length ? names.join(", ") : words.fileNone;
      name.classList.toggle("chosen", names.length > 0);
    });
  });
})();
