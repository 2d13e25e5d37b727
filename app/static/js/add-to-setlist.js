/* "Add to setlist" wherever songs are: a song row, a search result, an album's "Add album",
   the player bar's current song. Each button opens the picker (setlist-picker.js, loaded
   first); after an add a toast says so, with a link to the setlist.

   Buttons say what they add: data-setlist-songs="1,2" or data-setlist-album="7", and
   data-setlist-what (a title, for the heading). The player bar's button
   (data-setlist-current) carries the addresses and the texts, translated; it adds the
   queue's current song, read from window.SetlistQueue and never changed here. */
(function () {
  "use strict";

  /* The bulk page: typing a new setlist's name chooses "A new setlist named". */
  var newName = document.getElementById("add-bulk-name");
  if (newName) {
    newName.addEventListener("input", function () {
      var choice = document.querySelector('.add-bulk-new input[type="radio"]');
      if (choice && newName.value.trim()) {
        choice.checked = true;
      }
    });
  }

  var config = document.querySelector("[data-setlist-current]");
  if (!config || !window.SetlistPicker) {
    return;
  }
  var text = config.dataset;
  var picker = window.SetlistPicker;
  var element = picker.element;
  var icon = picker.icon;
  var toast, toastText, toastLink;
  var allowed = null; // null: not known yet; then true/false (the player bar's button)

  function buildToast() {
    toast = element("div", "setlist-toast", { role: "status", hidden: "" });
    toastText = element("span", "setlist-toast-text");
    toastLink = element("a", "setlist-toast-link");
    toastLink.textContent = text.labelOpen;
    var dismiss = element("button", "btn btn-link btn-sm", {
      type: "button", "aria-label": text.labelClose, title: text.labelClose
    });
    dismiss.appendChild(icon("fa-times"));
    dismiss.addEventListener("click", function () { toast.hidden = true; });
    toast.appendChild(toastText);
    toast.appendChild(document.createTextNode(" "));
    toast.appendChild(toastLink);
    toast.appendChild(dismiss);
    document.body.appendChild(toast);
  }

  function say(message, url) {
    if (!toast) {
      buildToast();
    }
    toastText.textContent = message;
    toastLink.href = url;
    toast.hidden = false;
  }

  document.addEventListener("setlist:added", function (event) {
    say(event.detail.message, event.detail.url);
  });

  function wanted(button) {
    if (button.hasAttribute("data-setlist-current")) {
      var song = window.SetlistQueue && window.SetlistQueue.current();
      return song ? { what: { songs: [song.id] }, title: song.title } : null;
    }
    var title = button.getAttribute("data-setlist-what") || "";
    var album = button.getAttribute("data-setlist-album");
    if (album) {
      return { what: { album: parseInt(album, 10) }, title: title };
    }
    var songs = (button.getAttribute("data-setlist-songs") || "").split(",")
      .map(function (id) { return parseInt(id, 10); })
      .filter(function (id) { return id > 0; });
    return songs.length ? { what: { songs: songs }, title: title } : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".setlist-add");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (picker.openedBy(button)) {
      picker.close(true);
      return;
    }
    var want = wanted(button);
    if (want) {
      picker.open(button, want.what, want.title);
    }
  });

  /* The player bar's button shows while a song is current, for those who may add: known
     from the page's own "Add to setlist" buttons (drawn for them alone), else asked once. */
  function showCurrent() {
    var has = Boolean(window.SetlistQueue && window.SetlistQueue.current());
    if (!has) {
      config.hidden = true;
      return;
    }
    if (allowed === null) {
      allowed = document.querySelector(".setlist-add:not([data-setlist-current])") ? true : undefined;
    }
    if (allowed === undefined) {
      allowed = false;
      picker.mine("").then(function (got) {
        allowed = got.ok;
        showCurrent();
      }).catch(function () { allowed = false; });
      return;
    }
    config.hidden = !allowed;
  }

  if (window.SetlistQueue) {
    window.SetlistQueue.onChange(showCurrent);
    showCurrent();
  }
})();
