/* A share link shown once (setlists/shared_created.html): select it, copy it on a click. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    var status = document.querySelector("[data-copy-status]");
    if (!field) {
      return;
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      field.select();
      var done = function () {
        var label = button.querySelector("span");
        if (label) {
          label.textContent = button.getAttribute("data-copied");
        }
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
