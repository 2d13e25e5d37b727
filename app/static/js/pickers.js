/* Related-row pickers (a song's album, an album's author, their list filters): Select2 asks
   the permission-checked /search/<kind>/choices endpoint as the user types, so no page ever
   carries a whole table. Select2 escapes the labels it shows. */
(function ($) {
  "use strict";

  function choices(data) {
    return {
      results: data.results.map(function (choice) {
        return { id: choice.id, text: choice.label };
      }),
      pagination: { more: data.more }
    };
  }

  function setUp(select) {
    var $select = $(select);
    if ($select.data("select2")) {
      return;
    }
    $select.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: $select.data("allow-clear") === true,
      placeholder: $select.data("placeholder") || "",
      minimumInputLength: 0,
      ajax: {
        url: $select.data("choices-url"),
        dataType: "json",
        delay: 250,
        cache: true,
        data: function (params) {
          return { q: params.term || "", page: params.page || 1 };
        },
        processResults: choices
      }
    });
  }

  function setUpWithin(node) {
    $(node).find("select.catalog-picker").addBack("select.catalog-picker").each(function () {
      setUp(this);
    });
  }

  $(function () {
    setUpWithin(document.body);
    // FAB's list filters are added later, by copying the filter form's field into the page.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            setUpWithin(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})(jQuery);
