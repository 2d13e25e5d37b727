/* The "Add to setlist" picker: a small dialog listing my setlists (most recently changed
   first, searched as I type) and "New setlist…"; choosing one adds the songs. Keyboard
   (setlist-picker-keys.js): arrows move through the list, Escape closes, focus stays in
   the dialog and goes back to the button that opened it. Desktop: a popover by its button;
   phone: a bottom sheet.
   Addresses and texts come from the player bar's button (data-setlist-current), translated.
   add-to-setlist.js opens it (window.SetlistPicker) and shows what it added: the picker
   sends a "setlist:added" event with the server's {message, url}. */
(function () {
  "use strict";

  var config = document.querySelector("[data-setlist-current]");
  if (!config || !window.fetch) {
    return;
  }
  var text = config.dataset;
  var token = document.querySelector('meta[name="csrf-token"]');
  var SEARCH_DELAY = 200;
  var PHONE = 768;

  var dialog, backdrop, search, list, note, errorBox, newButton, form, nameInput, heading;
  var opener = null; // the button that opened the dialog (focus goes back to it)
  var adding = null; // {songs: [...]} or {album: id}
  var asked = 0; // the number of the last search sent (older answers are dropped)
  var timer = null;

  function element(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function icon(name) {
    return element("i", "fa " + name, { "aria-hidden": "true" });
  }

  function build() {
    backdrop = element("div", "setlist-picker-backdrop", { hidden: "" });
    dialog = element("div", "setlist-picker", {
      role: "dialog", "aria-modal": "true", "aria-labelledby": "setlist-picker-title", hidden: ""
    });
    var head = element("div", "setlist-picker-head");
    heading = element("h2", "setlist-picker-title", { id: "setlist-picker-title" });
    var close = element("button", "btn btn-link btn-sm setlist-picker-close", {
      type: "button", "aria-label": text.labelClose, title: text.labelClose
    });
    close.appendChild(icon("fa-times"));
    close.addEventListener("click", function () { closeDialog(true); });
    head.appendChild(heading);
    head.appendChild(close);

    var label = element("label", "sr-only", { "for": "setlist-picker-q" });
    label.textContent = text.labelSearch;
    search = element("input", "form-control input-sm setlist-picker-search", {
      id: "setlist-picker-q", type: "search", maxlength: "200", autocomplete: "off",
      placeholder: text.labelSearch, "aria-controls": "setlist-picker-list"
    });
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, SEARCH_DELAY);
    });
    list = element("ul", "list-unstyled setlist-picker-list", {
      id: "setlist-picker-list", "aria-label": text.labelTitle
    });
    note = element("p", "setlist-picker-note text-muted", { role: "status" });
    errorBox = element("p", "setlist-picker-error", { role: "alert" });

    newButton = element("button", "btn btn-link setlist-picker-new", { type: "button" });
    newButton.appendChild(icon("fa-plus"));
    newButton.appendChild(document.createTextNode(" " + text.labelNew));
    newButton.addEventListener("click", showForm);

    form = element("form", "setlist-picker-form", { hidden: "" });
    var nameLabel = element("label", "control-label", { "for": "setlist-picker-name" });
    nameLabel.textContent = text.labelName;
    nameInput = element("input", "form-control input-sm", {
      id: "setlist-picker-name", type: "text", maxlength: "200", required: "", autocomplete: "off"
    });
    var buttons = element("div", "setlist-picker-form-buttons");
    var create = element("button", "btn btn-primary btn-sm", { type: "submit" });
    create.textContent = text.labelCreate;
    var cancel = element("button", "btn btn-default btn-sm", { type: "button" });
    cancel.textContent = text.labelCancel;
    cancel.addEventListener("click", hideForm);
    buttons.appendChild(create);
    buttons.appendChild(cancel);
    form.appendChild(nameLabel);
    form.appendChild(nameInput);
    form.appendChild(buttons);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(text.createUrl, Object.assign({ name: nameInput.value }, adding));
    });

    [head, label, search, list, note, newButton, form, errorBox].forEach(function (part) {
      dialog.appendChild(part);
    });
    dialog.addEventListener("keydown", function (event) { // setlist-picker-keys.js
      var parts = { dialog: dialog, search: search, list: list, newButton: newButton };
      if (window.SetlistPickerKeys) window.SetlistPickerKeys(event, parts, closeDialog);
    });
    backdrop.addEventListener("click", function () { closeDialog(true); });
    document.body.appendChild(backdrop);
    document.body.appendChild(dialog);

    document.addEventListener("mousedown", outside);
  }

  function headers(json) {
    var sent = { Accept: "application/json", "X-CSRFToken": token ? token.content : "" };
    if (json) {
      sent["Content-Type"] = "application/json";
    }
    return sent;
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      return { ok: response.ok, status: response.status, body: body };
    });
  }

  function mine(query) {
    var url = text.mineUrl + (query ? "?q=" + encodeURIComponent(query) : "");
    return fetch(url, { credentials: "same-origin", headers: headers(false) }).then(answer);
  }

  function load() {
    var number = ++asked;
    note.textContent = text.labelLoading;
    mine(search.value.trim()).then(function (got) {
      if (number !== asked) {
        return;
      }
      if (!got.ok) {
        note.textContent = "";
        errorBox.textContent = got.body.message || text.labelFailed;
        return;
      }
      show(got.body);
    }).catch(function () {
      if (number === asked) {
        note.textContent = "";
        errorBox.textContent = text.labelFailed;
      }
    });
  }

  function show(found) {
    list.textContent = "";
    found.setlists.forEach(function (setlist) {
      var item = element("li");
      var choose = element("button", "btn btn-link setlist-picker-choice", {
        type: "button", "data-setlist-id": String(setlist.id)
      });
      choose.appendChild(icon("fa-list-ol"));
      var name = element("span", "setlist-picker-name");
      name.textContent = setlist.name;
      choose.appendChild(name);
      if (setlist.visibility === "catalog") {
        var badge = element("span", "label label-info");
        badge.textContent = text.labelCatalog;
        choose.appendChild(badge);
      }
      choose.addEventListener("click", function () {
        send(text.addUrl.replace(/\/0$/, "/" + setlist.id), adding);
      });
      item.appendChild(choose);
      list.appendChild(item);
    });
    if (!found.setlists.length) {
      note.textContent = found.q ? text.labelNone : text.labelEmpty;
    } else {
      note.textContent = found.more ? text.labelMore : "";
    }
  }

  function send(url, body) {
    errorBox.textContent = "";
    dialog.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST", credentials: "same-origin", headers: headers(true), body: JSON.stringify(body)
    }).then(answer).then(function (got) {
      dialog.removeAttribute("aria-busy");
      if (!got.ok) {
        errorBox.textContent = got.body.message || text.labelFailed;
        return;
      }
      closeDialog(true);
      document.dispatchEvent(new CustomEvent("setlist:added", {
        detail: { message: got.body.message, url: got.body.setlist.url }
      }));
    }).catch(function () {
      dialog.removeAttribute("aria-busy");
      errorBox.textContent = text.labelFailed;
    });
  }


  function showForm() {
    form.hidden = false;
    newButton.hidden = true;
    nameInput.value = search.value.trim();
    nameInput.focus();
  }

  function hideForm() {
    form.hidden = true;
    newButton.hidden = false;
    newButton.focus();
  }

  function place() {
    var phone = window.innerWidth < PHONE;
    dialog.classList.toggle("setlist-picker-sheet", phone);
    backdrop.hidden = !phone;
    dialog.style.top = dialog.style.left = "";
    if (phone || !opener) {
      return;
    }
    var box = opener.getBoundingClientRect();
    var width = dialog.offsetWidth;
    var height = dialog.offsetHeight;
    var left = Math.min(Math.max(8, box.right - width), window.innerWidth - width - 8);
    var top = box.bottom + 4;
    if (top + height > window.innerHeight - 8) { // no room below (the player bar): above
      top = Math.max(8, box.top - height - 4);
    }
    dialog.style.left = left + "px";
    dialog.style.top = top + "px";
  }

  function openDialog(button, what, title) {
    if (!dialog) {
      build();
    }
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
    }
    opener = button;
    adding = what;
    button.setAttribute("aria-expanded", "true");
    heading.textContent = title ? text.labelTitle + ": " + title : text.labelTitle;
    errorBox.textContent = "";
    search.value = "";
    form.hidden = true;
    newButton.hidden = false;
    list.textContent = "";
    dialog.hidden = false;
    place();
    search.focus();
    load();
  }

  function closeDialog(refocus) {
    if (!dialog || dialog.hidden) {
      return;
    }
    dialog.hidden = true;
    backdrop.hidden = true;
    asked++;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (refocus && document.body.contains(opener)) {
        opener.focus();
      }
    }
  }

  function outside(event) {
    if (dialog && !dialog.hidden && !dialog.contains(event.target) &&
        !(opener && opener.contains(event.target))) {
      closeDialog(false);
    }
  }

  window.addEventListener("resize", function () {
    if (dialog && !dialog.hidden) {
      place();
    }
  });

  window.SetlistPicker = {
    open: openDialog,
    close: closeDialog,
    openedBy: function (button) { return Boolean(dialog && !dialog.hidden && opener === button); },
    mine: mine,
    element: element,
    icon: icon
  };
})();
