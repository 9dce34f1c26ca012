// Pickers: a code field marked data-picker (trainer/forms.py, picker_attributes) suggests
// units or people as the user types part of a name (accents optional) or a code; choosing a
// suggestion puts its code in the field, which is what the form sends. The field is an ARIA
// combobox with a listbox (arrow keys, Enter, Escape; tap on a phone). Without this script it
// is the plain field where the code is typed, and a code typed in full is still sent as is.
(function () {
  "use strict";
  var count = 0;

  function enhance(input) {
    var url = input.getAttribute("data-picker");
    var words = input.dataset;
    var id = input.id || "picker-" + ++count;
    input.id = id;
    var wrap = document.createElement("div");
    wrap.className = "picker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    var label = document.querySelector("label[for='" + id + "']");
    if (label) {
      label.id = label.id || id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    wrap.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(status);
    var chosen = document.createElement("p");
    chosen.className = "picker-chosen";
    chosen.id = id + "-chosen";
    wrap.appendChild(chosen);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + chosen.id);

    var items = [], active = -1, timer = null, asked = 0, controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function pick(index) {
      var item = items[index];
      input.value = item.value;
      chosen.textContent = item.label + " · " + item.detail;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(answer) {
      items = answer.items || [];
      list.textContent = "";
      active = -1;
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = item.label;
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = item.detail;
        option.appendChild(name);
        option.appendChild(detail);
        list.appendChild(option);
      });
      var said = items.length ? words.pickerCount.replace("{n}", items.length) : words.pickerNone;
      status.textContent = answer.more ? said + " " + words.pickerMore : said;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function suggestions(text) {
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      return fetch(url + "?q=" + encodeURIComponent(text.slice(0, 100)), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { items: [] };
      });
    }

    function ask() {
      var text = input.value.trim();
      chosen.textContent = "";
      if (text.length < 2) {
        close();
        return;
      }
      var mine = ++asked;  // an older answer arriving late is dropped
      suggestions(text)
        .then(function (answer) {
          if (mine === asked && document.activeElement === input) show(answer);
        })
        .catch(function () {});  // offline or aborted: the field still takes a typed code
    }

    // A code already in the field (a remembered filter, the trainer's own unit): say whose
    function name() {
      var code = input.value.trim();
      if (code.length < 2) return;
      var mine = ++asked;
      suggestions(code)
        .then(function (answer) {
          var same = (answer.items || []).filter(function (item) {
            return item.value.toUpperCase() === code.toUpperCase();
          })[0];
          if (mine === asked && same && !chosen.textContent) {
            chosen.textContent = same.label + " · " + same.detail;
          }
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          if (items.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            ask();
          }
          event.preventDefault();
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + items.length) % items.length);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        pick(active);  // choosing is not sending: the form goes on Enter once closed
        event.preventDefault();
      } else if (event.key === "Escape" && open) {
        close();
        event.preventDefault();
        event.stopPropagation();
      }
    });
    input.addEventListener("blur", close);
    // mousedown would move the focus away (and close the list) before the click lands
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(Array.prototype.indexOf.call(list.children, option));
    });
    name();
  }

  if (!window.fetch) return;
  Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), enhance);
})();
