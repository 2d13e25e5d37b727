/* The player bar: one <audio> for the whole page. The page's play buttons (.play-button), in
   page order, are the queue: a list plays on from the row clicked, an album in track order.
   Space toggles play, "." and "," move in the queue. What is playing is remembered for the next page (sessionStorage), which
   picks it up where it was: Setlist's pages are full page loads, so the sound pauses while the
   next page loads rather than stopping. */
(function () {
  "use strict";

  var STORE = "setlist-player";
  var bar = document.getElementById("player-bar");
  if (!bar) {
    sessionStorage.removeItem(STORE); // signed out: nothing carries over to the next person
    return;
  }
  var audio = bar.querySelector("audio");
  var part = function (name) { return bar.querySelector("[data-player=" + name + "]"); };
  var toggle = part("toggle"), seek = part("seek"), volume = part("volume");
  var elapsed = part("elapsed"), total = part("duration");
  var titleBox = bar.querySelector(".player-title"), detailBox = bar.querySelector(".player-detail");
  var cover = bar.querySelector(".player-cover");
  var current = null; // the song playing: {play, title, album, author, cover}
  var seeking = false;

  function queue() {
    return Array.prototype.slice.call(document.querySelectorAll(".play-button[data-play]"));
  }

  function position() {
    if (!current) {
      return -1;
    }
    return queue().findIndex(function (button) { return button.dataset.play === current.play; });
  }

  function clock(seconds) {
    if (!isFinite(seconds) || seconds < 0) {
      return "0:00";
    }
    var whole = Math.floor(seconds), hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60), rest = whole % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(rest).padStart(2, "0");
  }

  function show(song) {
    current = song;
    titleBox.textContent = song.title;
    detailBox.textContent = [song.author, song.album].filter(Boolean).join(" — ");
    cover.hidden = !song.cover;
    if (song.cover) {
      cover.src = song.cover;
    }
    bar.hidden = false;
    document.body.classList.add("with-player");
    markButtons();
  }

  function load(song, from) {
    show(song);
    audio.src = song.play;
    if (from) {
      audio.addEventListener("loadedmetadata", function once() {
        audio.removeEventListener("loadedmetadata", once);
        audio.currentTime = from;
      });
    }
  }

  function play(index) {
    var buttons = queue();
    if (index < 0 || index >= buttons.length) {
      return;
    }
    var data = buttons[index].dataset;
    load({ play: data.play, title: data.title, album: data.album, author: data.author, cover: data.cover });
    audio.play().catch(function () {});
  }

  function togglePlay() {
    if (!current) {
      play(0);
    } else if (audio.paused) {
      audio.play().catch(function () {});
    } else {
      audio.pause();
    }
  }

  function markButtons() {
    var playing = !audio.paused;
    queue().forEach(function (button) {
      var mine = current && button.dataset.play === current.play;
      button.setAttribute("aria-pressed", mine && playing ? "true" : "false");
      button.classList.toggle("active", Boolean(mine));
      button.querySelector("i").className = "fa " + (mine && playing ? "fa-pause" : "fa-play");
    });
    var label = playing ? bar.dataset.labelPause : bar.dataset.labelPlay;
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
    toggle.querySelector("i").className = "fa " + (playing ? "fa-pause" : "fa-play");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".play-button[data-play]");
    if (button) {
      if (current && button.dataset.play === current.play) {
        togglePlay();
      } else {
        play(queue().indexOf(button));
      }
      return;
    }
    if (event.target.closest("[data-play-all]")) {
      play(0);
    }
  });
  toggle.addEventListener("click", togglePlay);
  part("next").addEventListener("click", function () { play(position() + 1); });
  part("previous").addEventListener("click", function () {
    if (audio.currentTime > 3 || position() <= 0) {
      audio.currentTime = 0;
    } else {
      play(position() - 1);
    }
  });

  audio.addEventListener("play", markButtons);
  audio.addEventListener("pause", markButtons);
  audio.addEventListener("ended", function () {
    var next = position() + 1;
    if (next > 0 && next < queue().length) {
      play(next);
    } else {
      markButtons();
    }
  });
  audio.addEventListener("error", function () {
    if (current) {
      detailBox.textContent = bar.dataset.labelUnplayable;
    }
  });
  audio.addEventListener("timeupdate", function () {
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
  });
  volume.addEventListener("input", function () {
    audio.volume = volume.value / 100;
    localStorage.setItem(STORE + "-volume", volume.value);
  });
  var savedVolume = localStorage.getItem(STORE + "-volume");
  if (savedVolume !== null) {
    volume.value = savedVolume;
    audio.volume = savedVolume / 100;
  }

  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, button, a, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === " " && current) {
      event.preventDefault();
      togglePlay();
    } else if (event.key === "." && current) {
      play(position() + 1);
    } else if (event.key === "," && current) {
      play(position() - 1);
    }
  });

  // Carry the song over to the next page, and pick it up here.
  window.addEventListener("pagehide", function () {
    if (current) {
      var state = Object.assign({ time: audio.currentTime, playing: !audio.paused }, current);
      sessionStorage.setItem(STORE, JSON.stringify(state));
    } else {
      sessionStorage.removeItem(STORE);
    }
  });
  var carried = JSON.parse(sessionStorage.getItem(STORE) || "null");
  if (carried && carried.play) {
    load(carried, carried.time);
    if (carried.playing) {
      audio.play().catch(markButtons); // a browser may want a click first
    }
  }
})();
