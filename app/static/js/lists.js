/* List pages: one delegated handler asks before a row is deleted (FAB put an inline script
   on every row). The confirmation dialog and its CSRF-carrying form are FAB's. */
(function ($) {
  "use strict";

  $(document).on("click", "a[data-delete-url]", function (event) {
    event.preventDefault();
    var actions = window.modelActions || new AdminActions();
    actions.execute_single_delete($(this).data("delete-url"), $(this).data("confirm"));
  });

  // FAB's action menu shows its confirmation dialog without the action's question (it fills
  // the text only for single deletes): put it in before FAB's own handler opens the dialog.
  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest(".dropdown-menu a[class$='_menu_item']");
    var table = document.querySelector("table[data-action-confirmations]");
    if (!item || !table) {
      return;
    }
    var name = item.className.replace(/_menu_item$/, "");
    var question = JSON.parse(table.getAttribute("data-action-confirmations"))[name];
    if (question) {
      $("#modal-confirm .modal-body").text(question);
    }
  }, true);

  // Lists that can show a grid of covers: the choice is remembered per list.
  $("table[data-layouts]").each(function () {
    var table = $(this);
    var key = "setlist-layout-" + table.data("layouts");
    var buttons = $(".layout-toggle[data-layouts-of='" + table.data("layouts") + "'] [data-layout]");
    function show(layout) {
      table.toggleClass("as-grid", layout === "grid");
      buttons.each(function () {
        var pressed = $(this).data("layout") === layout;
        $(this).attr("aria-pressed", pressed ? "true" : "false").toggleClass("active", pressed);
      });
    }
    buttons.on("click", function () {
      var layout = $(this).data("layout");
      localStorage.setItem(key, layout);
      show(layout);
    });
    show(localStorage.getItem(key) || "table");
  });
})(jQuery);
