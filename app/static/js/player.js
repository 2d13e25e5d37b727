/* The player bar: one <audio> for the whole site, playing the queue (queue.js), which is the
   player's, not the page's: "Play" on a row queues that row's list from there (a setlist's
   rows: the whole setlist), "Play album" the whole album in running order, "Add to queue"
   and "Play next" add a song. Space toggles play, "." and "," move in the queue. Pages are
   full page loads: the queue, the time reached and paused-or-playing carry over to the next
   page (the sound pauses while it loads).
   window.SetlistPlayer lets other scripts play songs. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var Q = window.SetlistQueue;
  if (!bar || !Q) { return; }
  var SAVE_EVERY = 15000; // while playing, the server learns the place this often (ms)
  var audio = bar.querySelector("audio");
  var part = function (name) { return bar.querySelector("[data-player=" + name + "]"); };
  var toggle = part("toggle"), seek = part("seek"), volume = part("volume");
  var elapsed = part("elapsed"), total = part("duration");
  var titleBox = bar.querySelector(".player-title"), detailBox = bar.querySelector(".player-detail");
  var cover = bar.querySelector(".player-cover");
  var labels = bar.dataset;
  var shown = null; // the song in the bar (its audio loaded)
  var pendingSeek = null; // where to start once the song's metadata is in: a carried place
  var blocked = false; // the browser refused to start the sound before a click
  var seeking = false, saveTimer = null;
  var steering = false; // the player itself is changing the queue

  function clock(seconds) {
    if (!isFinite(seconds) || seconds < 0) { return "0:00"; }
    var whole = Math.floor(seconds), hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60), rest = whole % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(rest).padStart(2, "0");
  }

  /* The song from a row's play button (app/views/columns.py song_player). */
  function songOf(button) {
    var data = button.dataset, sound = window.SetlistSound; // its loudness: player-sound.js
    return Object.assign(sound ? sound.loudnessOf(data) : {}, { id: Number(data.song),
      stream: data.play, title: data.title, album: data.album, author: data.author, cover: data.cover });
  }

  /* The rows a row's Play queues: its own list (a home page's two lists are two queues). */
  function rowsOf(button) {
    var scope = button.closest("[data-queue-scope], table, ol, ul") || document;
    return Array.prototype.slice.call(scope.querySelectorAll(".play-button[data-song]"));
  }

  /* A setlist's entries are one page of it: Play there queues the whole setlist (its next
     pages come as it plays), each row at its place in it (its data-position, from 1). */
  function sourceOf(button, rows) {
    var table = button.closest("[data-queue-source]"), first = rows[0].closest("[data-position]");
    if (!table || !first) { return undefined; }
    var data = table.dataset;
    return { url: data.queueSource, title: data.sourceTitle, label: data.placeLabel || "",
      total: Number(data.sourceTotal) || rows.length, offset: Number(first.dataset.position) - 1 };
  }

  function time() { return pendingSeek !== null ? pendingSeek : audio.currentTime; }

  function playing() { return !audio.paused || blocked; }

  function load(song, from, start) {
    shown = song;
    titleBox.textContent = song.title;
    detailBox.textContent = [song.author, song.album].filter(Boolean).join(" — ");
    cover.hidden = !song.cover;
    if (song.cover) { cover.src = song.cover; }
    bar.hidden = false;
    document.body.classList.add("with-player");
    pendingSeek = from > 0 ? from : null;
    elapsed.textContent = clock(from || 0);
    audio.preload = pendingSeek === null ? "none" : "metadata";
    audio.src = window.SetlistSound ? window.SetlistSound.source(song) : song.stream; // data saver
    blocked = false;
    if (start) {
      audio.play().catch(function (error) {
        blocked = error && error.name === "NotAllowedError"; // a click will start it
        markButtons();
      });
    }
    markButtons();
  }

  function unload() {
    audio.pause();
    audio.removeAttribute("src");
    audio.load();
    shown = null;
    pendingSeek = null;
    blocked = false;
    bar.hidden = true;
    document.body.classList.remove("with-player");
    markButtons();
  }

  /* Change the queue and play what it then has current (its onChange does nothing more). */
  function steer(change) {
    steering = true;
    try {
      change();
    } finally {
      steering = false;
    }
    load(Q.current(), 0, true);
  }

  function playAt(index) {
    if (index >= 0 && index < Q.state().songs.length) {
      steer(function () { Q.go(index); });
    }
  }

  function togglePlay() {
    blocked = false;
    if (!shown) { playAt(0); } else if (audio.paused) { audio.play().catch(function () {}); } else { audio.pause(); }
  }

  function markButtons() {
    var current = Q.current(), sounding = !audio.paused;
    document.querySelectorAll(".play-button[data-song]").forEach(function (button) {
      var mine = Boolean(current) && Number(button.dataset.song) === current.id;
      button.setAttribute("aria-pressed", mine && sounding ? "true" : "false");
      button.classList.toggle("active", mine);
      button.querySelector("i").className = "fa " + (mine && sounding ? "fa-pause" : "fa-play");
    });
    var label = sounding ? labels.labelPause : labels.labelPlay;
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
    toggle.querySelector("i").className = "fa " + (sounding ? "fa-pause" : "fa-play");
  }

  function saveSoon(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      Q.setPlace(time(), playing());
      Q.save(false);
    }, delay);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".play-button[data-song]");
    var current = Q.current();
    if (button) {
      if (current && Number(button.dataset.song) === current.id && shown) {
        togglePlay();
      } else {
        var rows = rowsOf(button);
        var source = sourceOf(button, rows);
        steer(function () { Q.replace(rows.map(songOf), rows.indexOf(button), source); });
      }
    }
  });
  /* Play what follows (`ended`: the song ran its course), once an album's or setlist's next
     tracks are in when they are on their way (queue.js fetches them a page at a time). */
  function playFollowing(ended, waited) {
    var next = Q.following(ended);
    if (next === -2 && !waited) {
      Q.loaded().then(function () { playFollowing(ended, true); });
    } else if (next >= 0) {
      playAt(next);
    } else if (ended) { // the end of the queue: stop here
      markButtons();
      saveSoon(300);
    }
  }

  toggle.addEventListener("click", togglePlay);
  part("next").addEventListener("click", function () { playFollowing(false); });
  part("previous").addEventListener("click", function () {
    var before = Q.preceding();
    if (audio.currentTime > 3 || before < 0) {
      audio.currentTime = 0;
    } else {
      playAt(before);
    }
  });

  audio.addEventListener("loadedmetadata", function () {
    if (pendingSeek !== null) {
      audio.currentTime = Math.min(pendingSeek, audio.duration || pendingSeek);
      pendingSeek = null;
    }
    total.textContent = clock(audio.duration);
  });
  audio.addEventListener("play", function () { blocked = false; markButtons(); });
  audio.addEventListener("pause", function () {
    markButtons();
    if (!audio.ended) { saveSoon(300); }
  });
  audio.addEventListener("ended", function () { playFollowing(true); });
  audio.addEventListener("error", function () {
    if (shown && audio.getAttribute("src")) {
      detailBox.textContent = labels.labelUnplayable;
    }
  });
  audio.addEventListener("timeupdate", function () {
    if (pendingSeek !== null) { return; }
    elapsed.textContent = clock(audio.currentTime);
    total.textContent = clock(audio.duration);
    if (!seeking && audio.duration) {
      seek.value = Math.round((audio.currentTime / audio.duration) * 1000);
    }
  });
  seek.addEventListener("input", function () {
    seeking = true;
    elapsed.textContent = clock((seek.value / 1000) * (audio.duration || 0));
  });
  seek.addEventListener("change", function () {
    if (audio.duration) {
      audio.currentTime = (seek.value / 1000) * audio.duration;
    }
    seeking = false;
    saveSoon(1000);
  });
  volume.addEventListener("input", function () {
    audio.volume = volume.value / 100;
    localStorage.setItem("setlist-player-volume", volume.value);
  });
  var savedVolume = localStorage.getItem("setlist-player-volume");
  if (savedVolume !== null) {
    volume.value = savedVolume;
    audio.volume = savedVolume / 100;
  }

  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, button, a, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey || !shown) { return; }
    if (event.key === " ") {
      event.preventDefault();
      togglePlay();
    } else if (event.key === ".") {
      playFollowing(false);
    } else if (event.key === ",") {
      playAt(Q.preceding());
    }
  });

  /* Queue edits from the panel (queue-panel.js): the song playing may change or go. */
  Q.onChange(function () {
    var current = Q.current();
    if (steering) {
      saveSoon(1000);
      return;
    }
    if (!current) {
      if (shown) {
        unload();
      }
    } else if (!shown || current.id !== shown.id) {
      load(current, 0, Boolean(shown) && !audio.paused); // the first song added waits
    }
    markButtons();
    saveSoon(1000);
  });
  setInterval(function () {
    if (!audio.paused) {
      Q.setPlace(time(), true);
      Q.save(false);
    }
  }, SAVE_EVERY);

  // The place is read fresh here, never from what the page started with.
  window.addEventListener("pagehide", function () {
    Q.setPlace(time(), playing());
    Q.keep();
    Q.save(true);
  });
  // This tab's queue (even an empty one) wins; a new tab resumes the user's saved queue.
  if (Q.restore()) {
    if (Q.current()) {
      load(Q.current(), Q.state().time, Q.state().playing);
    }
  } else {
    Q.fetchSaved().then(function (found) {
      if (found && !shown) {
        load(Q.current(), Q.state().time, false); // another device's queue, paused
      }
    });
  }

  window.SetlistPlayer = {
    /** Play these songs ({id, stream, title, album, author, cover}) from `index`;
        `source`: the album or setlist they begin (SetlistQueue.replace). */
    play: function (songs, index, source) {
      steer(function () { Q.replace(songs, index || 0, source); });
    },
    /** The song a row's play button stands for. */
    songOf: songOf,
    /** Play the song at `index` of the queue. */
    playAt: playAt,
    /** The bar's audio element. */
    audio: audio
  };
  // The queue panel's own script (base.html lists queue.js, queue-sync.js and this one).
  var panel = document.createElement("script");
  panel.src = labels.panelScript;
  document.body.appendChild(panel);
})();
