/* What a person does to the queue besides playing a row: "Add to queue" and "Play next" on
   rows, "Play album" and "Play setlist" (the whole album or setlist in order, or "Shuffle"d,
   from /api/v1/playqueue/albums/ and /setlists/, a page at a time as it plays), and the queue
   panel (the player bar's Queue button): where the queue is in its album or setlist ("27 of
   5,000"), what comes next, move up or down, remove, clear, shuffle, repeat. Loaded by
   player.js; uses window.SetlistQueue and SetlistPlayer. */
(function () {
  "use strict";

  var Q = window.SetlistQueue, player = window.SetlistPlayer;
  var bar = document.getElementById("player-bar");
  if (!bar || !Q || !player) {
    return;
  }
  var labels = bar.dataset;
  var panel = document.getElementById("queue-panel");
  var list = panel.querySelector(".queue-list"), empty = panel.querySelector(".queue-empty");
  var opener = bar.querySelector("[data-player=queue]"), count = bar.querySelector("[data-player=count]");
  var status = bar.querySelector("[data-player=status]");
  var shuffle = panel.querySelector("[data-queue-mode=shuffle]");
  var repeat = panel.querySelector("[data-queue-mode=repeat]");
  var REPEATS = ["off", "all", "one"];
  var REPEAT_LABELS = { off: labels.labelRepeatOff, all: labels.labelRepeatAll, one: labels.labelRepeatOne };

  function announce(template, song) {
    status.textContent = template.replace("%(title)s", song.title);
  }

  /* Play an album or setlist from its first track, or shuffled from a random one: the
     first page is one request, the rest come as it plays (queue.js). */
  function playSource(button, retried) {
    var data = button.dataset, url = data.playSource || data.playAll;
    var shuffle = data.shuffle === "true", total = Number(data.sourceTotal) || 0;
    var at = shuffle && total && !retried ? Math.floor(Math.random() * total) : 0;
    var ask = url + (url.indexOf("?") < 0 ? "?" : "&") + "offset=" + at + (shuffle ? "&limit=1" : "");
    fetch(ask, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (page) {
        if (page.songs.length) {
          player.play(page.songs, 0, { url: url, title: page.title, total: page.total,
            label: data.placeLabel || "", shuffle: shuffle });
        } else if (at > 0) {
          playSource(button, true); // shorter than the page said: from its first track
        }
      })
      .catch(function () {});
  }

  /* "27 of 5,000" in the page's language. */
  function placeText(place) {
    var number = function (n) { return n.toLocaleString(document.documentElement.lang || undefined); };
    var label = place.source.label || "%(place)s / %(total)s";
    return place.source.title + " · " + label.replace("%(place)s", number(place.place))
      .replace("%(total)s", number(place.source.total));
  }

  document.addEventListener("click", function (event) {
    var adding = event.target.closest("[data-queue-add]");
    if (adding) {
      var song = player.songOf(adding.closest(".song-actions").querySelector(".play-button"));
      var next = adding.dataset.queueAdd === "next";
      (next ? Q.playNext : Q.append)([song]);
      announce(next ? labels.labelNext : labels.labelAdded, song);
      return;
    }
    var source = event.target.closest("[data-play-all], [data-play-source]");
    if (source && (source.dataset.playAll || source.dataset.playSource)) {
      playSource(source, false);
    }
  });

  function button(className, label, icon, data) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = "btn btn-link btn-sm " + className;
    made.setAttribute("aria-label", label);
    made.title = label;
    Object.keys(data).forEach(function (key) { made.dataset[key] = data[key]; });
    if (icon) {
      var glyph = document.createElement("i");
      glyph.className = "fa " + icon;
      glyph.setAttribute("aria-hidden", "true");
      made.appendChild(glyph);
    }
    return made;
  }

  function item(song, at, state) {
    var row = document.createElement("li");
    row.className = "queue-item" + (at === state.index ? " current" : "");
    if (typeof song.k === "number" && state.source) {
      row.style.counterSet = "queue " + (song.k + 1); // numbered by its place in the source
    }
    if (at === state.index) {
      row.setAttribute("aria-current", "true");
    }
    var play = button("queue-play", labels.labelPlay + ": " + song.title, "", { at: at });
    var name = document.createElement("span");
    name.className = "queue-song-title";
    name.textContent = song.title;
    var detail = document.createElement("span");
    detail.className = "queue-song-detail";
    detail.textContent = [song.author, song.album].filter(Boolean).join(" — ");
    play.append(name, detail);
    var up = button("queue-up", labels.labelUp + ": " + song.title, "fa-arrow-up", { at: at, step: -1 });
    var down = button("queue-down", labels.labelDown + ": " + song.title, "fa-arrow-down", { at: at, step: 1 });
    var remove = button("queue-remove", labels.labelRemove + ": " + song.title, "fa-times", { remove: at });
    up.disabled = at === 0;
    down.disabled = at === state.songs.length - 1;
    row.append(play, up, down, remove);
    return row;
  }

  var where = document.createElement("p"); // the place in the album or setlist playing
  where.className = "queue-source text-muted";
  where.style.margin = "6px 10px 0";
  list.parentNode.insertBefore(where, list);

  var lastShown = null; // the song playing when the list was last drawn

  function draw() {
    var state = Q.state(), place = Q.place();
    var loose = state.songs.filter(function (song) { return typeof song.k !== "number"; });
    count.textContent = state.source ? loose.length + state.source.total : state.songs.length;
    where.hidden = !place;
    where.textContent = place ? placeText(place) : "";
    shuffle.setAttribute("aria-pressed", state.shuffle ? "true" : "false");
    shuffle.classList.toggle("active", state.shuffle);
    repeat.classList.toggle("active", state.repeat !== "off");
    repeat.setAttribute("aria-label", REPEAT_LABELS[state.repeat]);
    repeat.title = REPEAT_LABELS[state.repeat];
    repeat.querySelector(".queue-repeat-one").hidden = state.repeat !== "one";
    if (panel.hidden) {
      return;
    }
    empty.hidden = state.songs.length > 0;
    var rows = document.createDocumentFragment();
    state.songs.forEach(function (song, at) { rows.appendChild(item(song, at, state)); });
    var scrolled = list.scrollTop;
    list.textContent = "";
    list.appendChild(rows);
    list.scrollTop = scrolled;
    var current = list.querySelector(".current"), playing = Q.current();
    if (current && playing !== lastShown) { // the queue moved on: keep its song in view
      current.scrollIntoView({ block: "nearest" });
    }
    lastShown = playing;
  }

  function open(show) {
    panel.hidden = !show;
    opener.setAttribute("aria-expanded", show ? "true" : "false");
    draw();
    if (show) {
      var current = list.querySelector(".current");
      (current || panel).scrollIntoView({ block: "nearest" });
    }
  }

  opener.addEventListener("click", function () { open(panel.hidden); });
  panel.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) {
      return;
    }
    var data = target.dataset;
    if (data.step) {
      var to = Number(data.at) + Number(data.step);
      Q.move(Number(data.at), Number(data.step));
      // Keep the keyboard where it was: on the moved song's same button (or its other one).
      var again = list.querySelector("[data-at='" + to + "'][data-step='" + data.step + "']");
      (again && !again.disabled ? again : list.querySelector("[data-at='" + to + "'][data-step]:not([disabled])") || opener).focus();
    } else if (data.remove) {
      var at = Number(data.remove);
      Q.remove(at);
      var after = list.querySelector("[data-remove='" + Math.min(at, Q.state().songs.length - 1) + "']");
      (after || opener).focus();
    } else if (data.at) {
      player.playAt(Number(data.at));
    } else if (data.queueMode === "shuffle") {
      Q.setShuffle(!Q.state().shuffle);
    } else if (data.queueMode === "repeat") {
      Q.setRepeat(REPEATS[(REPEATS.indexOf(Q.state().repeat) + 1) % REPEATS.length]);
    } else if (data.queueMode === "clear") {
      Q.clear();
      opener.focus();
    } else if (data.queueMode === "close") {
      open(false);
      opener.focus();
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      open(false);
      opener.focus();
    }
  });
  Q.onChange(draw);
  draw();
})();
