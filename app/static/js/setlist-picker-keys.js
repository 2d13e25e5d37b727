/* The "Add to setlist" picker's keyboard (setlist-picker.js calls it on every key pressed
   in the dialog): Escape closes it, the arrows move from the search box through the list
   to "New setlist…" and back, Tab and Shift+Tab stay inside the dialog. */
(function () {
  "use strict";

  function focusable(dialog) {
    return Array.prototype.filter.call(
      dialog.querySelectorAll("button, input, a[href]"),
      function (node) { return !node.disabled && node.offsetParent !== null; }
    );
  }

  window.SetlistPickerKeys = function (event, parts, closeDialog) {
    var dialog = parts.dialog;
    var search = parts.search;
    var newButton = parts.newButton;
    if (event.key === "Escape") {
      event.preventDefault();
      closeDialog(true);
      return;
    }
    var choices = Array.prototype.slice.call(parts.list.querySelectorAll("button"));
    var at = choices.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var down = event.key === "ArrowDown";
      var next = null;
      if (document.activeElement === search && down) {
        next = choices[0] || newButton;
      } else if (at >= 0) {
        next = down ? (choices[at + 1] || newButton) : (choices[at - 1] || search);
      } else if (document.activeElement === newButton && !down) {
        next = choices[choices.length - 1] || search;
      }
      if (next) {
        event.preventDefault();
        next.focus();
      }
      return;
    }
    if (event.key === "Tab") { // focus stays in the dialog
      var all = focusable(dialog);
      var first = all[0];
      var last = all[all.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
})();
