/* A setlist's entries with the keyboard: focus a row's handle, Space or Enter grabs it, the
   arrows (Home, End) move it, Space or Enter drops it, Escape or leaving puts it back; every
   step is read out. Alt+Arrow moves at once. Uses window.SetlistEditor (setlist-editor.js). */
(function () {
  "use strict";

  var editor = window.SetlistEditor;
  if (!editor) return;
  var text = editor.text;
  var announce = editor.announce;
  var rows = editor.rows;
  var positionAt = editor.positionAt;
  var placeAt = editor.placeAt;
  var putBack = editor.putBack;
  var grabbed = null; // {row, from} while a row is held with the keyboard

  /* Keyboard: Space or Enter grabs and drops, arrows move, Escape puts it back. */
  document.addEventListener("keydown", function (event) {
    var handle = event.target.closest && event.target.closest("[data-entries] [data-entry-handle]");
    if (!handle) return;
    var row = handle.closest("tr[data-entry]");
    var title = row.getAttribute("data-title");
    var key = event.key;
    if (!grabbed && event.altKey && (key === "ArrowUp" || key === "ArrowDown")) {
      event.preventDefault();
      editor.move(row, key === "ArrowUp" ? "up" : "down", true);
      return;
    }
    if (key === " " || key === "Enter") {
      event.preventDefault();
      if (grabbed && grabbed.row === row) {
        var from = grabbed.from;
        release();
        editor.dropped(row, from);
      } else {
        release();
        grabbed = { row: row, from: rows().indexOf(row) };
        row.classList.add("is-grabbed");
        handle.setAttribute("aria-pressed", "true");
        announce(
          text("grabbed", "Grabbed “{title}”. Arrow keys move it, Space drops it, Escape cancels.").replace("{title}", title)
        );
      }
      return;
    }
    if (!grabbed || grabbed.row !== row) return;
    var list = rows();
    var index = list.indexOf(row);
    var target = index;
    if (key === "ArrowUp") target = index - 1;
    else if (key === "ArrowDown") target = index + 1;
    else if (key === "Home") target = 0;
    else if (key === "End") target = list.length - 1;
    else if (key === "Escape") {
      event.preventDefault();
      putBack(row, grabbed.from);
      release();
      handle.focus();
      announce(text("cancelled", "Move cancelled."));
      return;
    } else return;
    event.preventDefault();
    target = Math.max(0, Math.min(list.length - 1, target));
    if (target === index) return;
    placeAt(row, target);
    handle.focus();
    announce(
      text("at", "“{title}”, position {position}.")
        .replace("{title}", title)
        .replace("{position}", String(positionAt(target)))
    );
  });

  function release() {
    if (!grabbed) return;
    grabbed.row.classList.remove("is-grabbed");
    var handle = grabbed.row.querySelector("[data-entry-handle]");
    if (handle) handle.removeAttribute("aria-pressed");
    grabbed = null;
  }

  document.addEventListener("focusout", function (event) {
    if (grabbed && event.target.closest && event.target.closest("[data-entry-handle]")) {
      var row = grabbed.row;
      window.setTimeout(function () {
        if (grabbed && grabbed.row === row && !row.contains(document.activeElement)) {
          putBack(row, grabbed.from);
          release();
        }
      }, 0);
    }
  });
})();
