/* The navbar's search box: results grouped by kind as you type (GET /search/?q=&limit=),
   Up/Down to move, Enter to open the highlighted result (or the full results page), Escape
   to close; "/" anywhere jumps to the box. Results are built as text, never as HTML. */
(function () {
  "use strict";

  var input = document.getElementById("navbar-search");
  if (!input) {
    return;
  }
  var list = document.getElementById("navbar-search-results");
  var form = input.form;
  var KINDS = ["songs", "albums", "authors"];
  var timer = null, asked = "", options = [], active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  function show(data) {
    list.textContent = "";
    options = [];
    KINDS.forEach(function (kind) {
      var results = data[kind] || [];
      if (!results.length) {
        return;
      }
      var title = input.dataset["label" + kind[0].toUpperCase() + kind.slice(1)];
      list.appendChild(element("div", "search-group-title", title));
      results.forEach(function (result) {
        var option = element("a", "search-option");
        option.href = result.url;
        option.id = "navbar-search-option-" + options.length;
        option.setAttribute("role", "option");
        option.appendChild(element("span", "search-label", result.label));
        if (result.detail) {
          option.appendChild(element("span", "search-detail", result.detail));
        }
        list.appendChild(option);
        options.push(option);
      });
    });
    if (!options.length) {
      list.appendChild(element("div", "search-none", input.dataset.labelNone));
    }
    var all = element("a", "search-option search-all", input.dataset.labelAll);
    all.href = form.action + "?q=" + encodeURIComponent(input.value);
    all.id = "navbar-search-option-all";
    all.setAttribute("role", "option");
    list.appendChild(all);
    options.push(all);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  }

  function ask() {
    var text = input.value.trim();
    if (!text) {
      close();
      return;
    }
    asked = text;
    var url = input.dataset.searchUrl + "?limit=5&q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && asked === text && input.value.trim() === text) {
          show(data);
        }
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) {
        return;
      }
      event.preventDefault();
      // Cycle through the options and back to the box itself (-1).
      var next = active + (event.key === "ArrowDown" ? 1 : -1);
      highlight(next >= options.length ? -1 : next < -1 ? options.length - 1 : next);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = options[active].href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) {
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      input.focus();
    }
  });
})();
