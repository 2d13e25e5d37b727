/* "?" shows the keyboard shortcuts (a <dialog>; Escape or Close hides it). The shortcuts
   themselves live with what they drive: searchbox.js ("/") and player.js (Space . ,). */
(function () {
  "use strict";

  var dialog = document.getElementById("shortcuts");
  if (!dialog || !dialog.showModal) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "?" && !typing && !dialog.open) {
      event.preventDefault();
      dialog.showModal();
    }
  });
})();
