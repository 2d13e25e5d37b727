/* List pages: one delegated handler asks before a row is deleted (FAB put an inline script
   on every row). The confirmation dialog and its CSRF-carrying form are FAB's. */
(function ($) {
  "use strict";

  $(document).on("click", "a[data-delete-url]", function (event) {
    event.preventDefault();
    var actions = window.modelActions || new AdminActions();
    actions.execute_single_delete($(this).data("delete-url"), $(this).data("confirm"));
  });
})(jQuery);
