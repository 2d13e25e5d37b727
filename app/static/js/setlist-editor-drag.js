/* A setlist's entries dragged by a row's handle: mouse, touch and pen alike (pointer
   events). The row follows the pointer and takes the place of the rows it passes; the page
   scrolls near its edges. Uses window.SetlistEditor (setlist-editor.js). */
(function () {
  "use strict";

  var editor = window.SetlistEditor;
  if (!editor) return;
  var rows = editor.rows;
  var dragging = null; // {row, from, pointer, offset} while a row is dragged

  document.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest && event.target.closest("[data-entries] [data-entry-handle]");
    if (!handle || (event.pointerType === "mouse" && event.button !== 0)) return;
    var row = handle.closest("tr[data-entry]");
    event.preventDefault();
    try {
      handle.setPointerCapture(event.pointerId);
    } catch (error) {
      /* a pointer the browser no longer tracks: the document's listeners still follow it */
    }
    dragging = {
      row: row,
      handle: handle,
      from: rows().indexOf(row),
      pointer: event.pointerId,
      offset: event.clientY - row.getBoundingClientRect().top,
      moved: false,
    };
    row.classList.add("is-dragging");
  });

  document.addEventListener("pointermove", function (event) {
    if (!dragging || event.pointerId !== dragging.pointer) return;
    event.preventDefault();
    var row = dragging.row;
    row.style.transform = "";
    var top = event.clientY - dragging.offset;
    var box = row.getBoundingClientRect();
    var previous = row.previousElementSibling;
    var next = row.nextElementSibling;
    if (previous) {
      var above = previous.getBoundingClientRect();
      if (top < above.top + above.height / 2) row.parentNode.insertBefore(row, previous);
    }
    if (next) {
      var below = next.getBoundingClientRect();
      if (top + box.height > below.top + below.height / 2) row.parentNode.insertBefore(next, row);
    }
    box = row.getBoundingClientRect();
    if (Math.abs(top - box.top) > 2) dragging.moved = true;
    row.style.transform = "translateY(" + (top - box.top) + "px)";
    if (event.clientY < 48) window.scrollBy(0, -12);
    else if (event.clientY > window.innerHeight - 48) window.scrollBy(0, 12);
  });

  function endDrag(event, keep) {
    if (!dragging || event.pointerId !== dragging.pointer) return;
    var drag = dragging;
    dragging = null;
    drag.row.style.transform = "";
    drag.row.classList.remove("is-dragging");
    if (!keep) {
      editor.putBack(drag.row, drag.from);
      return;
    }
    if (rows().indexOf(drag.row) !== drag.from) editor.dropped(drag.row, drag.from);
  }

  document.addEventListener("pointerup", function (event) {
    endDrag(event, true);
  });
  document.addEventListener("pointercancel", function (event) {
    endDrag(event, false);
  });
})();