/* A setlist's entries, reordered in place: the shared part. The section's own forms (move,
   note, remove, undo) are sent with fetch and its pager redraws it in place. After every
   change the section is drawn again by the server: its order is the truth, and moves across
   pages just work. Without these scripts the same forms post and come back to the page.
   Dragging (setlist-editor-drag.js) and the keyboard (setlist-editor-keys.js) use what this
   file shares as window.SetlistEditor, so it loads first. */
(function () {
  "use strict";

  var tokenMeta = document.querySelector("meta[name=csrf-token]");

  function section() {
    return document.querySelector("[data-entries]");
  }

  function text(name, fallback) {
    var holder = section();
    return (holder && holder.getAttribute("data-text-" + name)) || fallback;
  }

  function announce(message, isError) {
    var holder = section();
    if (!holder) return;
    var live = holder.querySelector("[data-entries-live]");
    var shown = holder.querySelector("[data-entries-message]");
    if (live) live.textContent = message;
    if (shown) {
      shown.textContent = message;
      shown.className = isError ? "text-danger" : "";
    }
  }

  function currentPage() {
    var holder = section();
    return holder ? parseInt(holder.getAttribute("data-page"), 10) || 1 : 1;
  }

  function rows() {
    var holder = section();
    return holder ? Array.prototype.slice.call(holder.querySelectorAll("tr[data-entry]")) : [];
  }

  function actionsUrl() {
    return section().getAttribute("data-section-url").replace(/\/section$/, "");
  }

  /* Draw the section again from the server (page N), then give focus back. */
  function redraw(page, focusEntry, message, isError) {
    var holder = section();
    if (!holder) return Promise.resolve();
    holder.setAttribute("aria-busy", "true");
    var url = holder.getAttribute("data-section-url") + "?entries_page=" + page;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var wrapper = document.createElement("div");
        wrapper.innerHTML = html.trim();
        var fresh = wrapper.querySelector("[data-entries]");
        if (!fresh) throw new Error("no section");
        holder.replaceWith(fresh);
        keepPageInAddress(parseInt(fresh.getAttribute("data-page"), 10) || 1);
        showTotals(fresh);
        if (message) announce(message, isError);
        focusAfter(fresh, focusEntry);
      })
      .catch(function () {
        window.location.reload();
      });
  }

  /* The page's header counts the songs too: keep it in step with the section. */
  function showTotals(fresh) {
    var count = document.querySelector(".setlist-entry-count");
    var time = document.querySelector(".setlist-playing-time");
    if (count) count.textContent = fresh.getAttribute("data-count-text");
    if (time && fresh.getAttribute("data-time-text")) time.textContent = fresh.getAttribute("data-time-text");
  }

  function keepPageInAddress(page) {
    if (!window.history || !window.history.replaceState) return;
    var address = new URL(window.location.href);
    if (page > 1) address.searchParams.set("entries_page", String(page));
    else address.searchParams.delete("entries_page");
    window.history.replaceState(null, "", address.toString());
  }

  function focusAfter(holder, entryId) {
    if (entryId === undefined || entryId === null) return;
    var handle = holder.querySelector('tr[data-entry="' + entryId + '"] [data-entry-handle]');
    if (handle) {
      handle.focus();
    } else {
      var heading = holder.querySelector("#entries-heading");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }

  /* POST fields as JSON with the page's CSRF token; resolves to {ok, body}. */
  function send(url, fields) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": tokenMeta ? tokenMeta.content : "",
      },
      body: JSON.stringify(fields),
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { ok: false, body: { message: text("failed", "That did not work; reload the page.") } };
      }
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    });
  }

  /* Send a change; redraw `page` (or the entry's new page when follow is set). */
  function change(url, fields, entryId, follow) {
    var holder = section();
    if (holder) holder.setAttribute("aria-busy", "true");
    fields.entries_page = currentPage();
    return send(url, fields).then(
      function (answer) {
        var body = answer.body || {};
        var page = answer.ok && follow && body.page ? body.page : currentPage();
        return redraw(page, answer.ok ? body.entry || entryId : entryId, body.message, !answer.ok);
      },
      function () {
        return redraw(currentPage(), entryId, text("failed", "That did not work; reload the page."), true);
      }
    );
  }

  function move(row, to, follow) {
    var entryId = row.getAttribute("data-entry");
    return change(actionsUrl() + "/move/" + entryId, { to: to }, entryId, follow);
  }

  /* The position (from 1) a row now shown at `index` on this page stands for. */
  function positionAt(index) {
    var perPage = parseInt(section().getAttribute("data-per-page"), 10) || 25;
    return (currentPage() - 1) * perPage + index + 1;
  }

  function dropped(row, from) {
    var index = rows().indexOf(row);
    if (index === from) {
      announce(text("stayed", "Not moved."));
      return;
    }
    move(row, String(positionAt(index)), true);
  }

  function placeAt(row, index) {
    var list = rows().filter(function (other) {
      return other !== row;
    });
    var body = row.parentNode;
    body.insertBefore(row, list[index] || null);
    /* The numbers follow the rows while one is held; the server's redraw confirms them. */
    var language = document.documentElement.lang || undefined;
    rows().forEach(function (other, place) {
      var cell = other.querySelector(".col-position");
      if (cell) cell.textContent = positionAt(place).toLocaleString(language);
    });
  }

  function putBack(row, from) {
    placeAt(row, from);
  }

  /* Forms of the section: sent with fetch, answered by a redraw. */
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-entries] form[data-entries-form]");
    if (!form) return;
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") fields[name] = value;
    });
    var submitter = event.submitter;
    if (submitter && submitter.name) fields[submitter.name] = submitter.value;
    var row = form.closest("tr[data-entry]");
    var entryId = row ? row.getAttribute("data-entry") : null;
    var kind = form.getAttribute("data-entries-form");
    if (kind === "remove" && row) {
      var next = row.nextElementSibling || row.previousElementSibling;
      entryId = next ? next.getAttribute("data-entry") : null;
    }
    change(form.action, fields, entryId, false);
  });

  /* The pager's links redraw the section in place. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-entries] a[data-entries-page]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    redraw(parseInt(link.getAttribute("data-entries-page"), 10) || 1, null);
  });

  window.SetlistEditor = {
    text: text,
    announce: announce,
    rows: rows,
    move: move,
    positionAt: positionAt,
    dropped: dropped,
    placeAt: placeAt,
    putBack: putBack,
  };
})();
