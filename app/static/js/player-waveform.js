/* A song's waveform as the seek bar: in the player bar (for the song playing; the range
   input stays when the song has none yet) and on a song's page (its .waveform-seek, which
   plays the song from where it is clicked). Drawn on a canvas, the part played in the
   element's colour; a slider for keyboards and screen readers (arrows 5 s, Page Up/Down
   30 s, Home/End). The peaks come from /songs/waveform/<id> (app/views/catalog/song_waveform.py). */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var Q = window.SetlistQueue;
  if (!bar || !Q) { return; }
  var audio = bar.querySelector("audio");
  var labels = bar.dataset;
  var rangeInput = bar.querySelector("[data-player=seek]");
  var STEP = 5, PAGE = 30; // seconds

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds || 0)), hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60), rest = String(whole % 60).padStart(2, "0");
    return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest;
  }

  function waveformUrl(id) { return labels.waveformUrl.replace(/0$/, String(id)); }

  function fetchPeaks(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  /* One drawn waveform: `box` (a .waveform-seek), `songId` it shows. */
  function Seekbar(box) {
    this.box = box;
    this.canvas = document.createElement("canvas");
    this.canvas.setAttribute("aria-hidden", "true");
    box.appendChild(this.canvas);
    box.setAttribute("role", "slider");
    box.tabIndex = 0;
    box.setAttribute("aria-label", labels.labelPosition);
    box.setAttribute("aria-valuemin", "0");
    this.peaks = null;
    this.duration = 0;
    this.songId = null;
    var self = this;
    box.addEventListener("pointerdown", function (event) { self.press(event); });
    box.addEventListener("keydown", function (event) { self.key(event); });
  }

  Seekbar.prototype.current = function () {
    var song = Q.current();
    return Boolean(song) && song.id === this.songId && Boolean(audio.getAttribute("src"));
  };

  Seekbar.prototype.length = function () {
    return this.current() && isFinite(audio.duration) && audio.duration > 0 ? audio.duration : this.duration;
  };

  Seekbar.prototype.time = function () { return this.current() ? audio.currentTime : 0; };

  Seekbar.prototype.draw = function () {
    if (!this.peaks || this.box.hidden) { return; }
    var canvas = this.canvas, width = this.box.clientWidth, height = this.box.clientHeight;
    var ratio = window.devicePixelRatio || 1, peaks = this.peaks, total = this.length();
    if (!width || !height) { return; }
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    var paint = canvas.getContext("2d"), style = getComputedStyle(this.box);
    var played = style.color, rest = style.getPropertyValue("--waveform-rest").trim() || "#999";
    var reached = total ? (this.time() / total) * width : 0, column = 2, middle = height / 2;
    paint.setTransform(ratio, 0, 0, ratio, 0, 0);
    paint.clearRect(0, 0, width, height);
    for (var x = 0; x < width; x += column) {
      var from = Math.floor((x / width) * peaks.length);
      var to = Math.max(from + 1, Math.floor(((x + column) / width) * peaks.length));
      var peak = Math.max.apply(null, peaks.slice(from, to)) / 128;
      var half = Math.max(0.5, peak * middle);
      paint.fillStyle = x < reached ? played : rest;
      paint.fillRect(x, middle - half, column - 0.5, half * 2);
    }
    var now = this.time();
    this.box.setAttribute("aria-valuemax", String(Math.round(total)));
    this.box.setAttribute("aria-valuenow", String(Math.round(now)));
    this.box.setAttribute("aria-valuetext", labels.labelElapsedOf
      .replace("%(elapsed)s", clock(now)).replace("%(total)s", clock(total)));
  };

  /* Go to `seconds` into the song: the bar's audio when it holds this song, else play this
     page's song from there. */
  Seekbar.prototype.seek = function (seconds) {
    var total = this.length(), at = Math.min(Math.max(seconds, 0), total || 0);
    if (this.current()) {
      if (audio.readyState) {
        audio.currentTime = at;
      } else {
        audio.addEventListener("loadedmetadata", function () { audio.currentTime = at; }, { once: true });
      }
    } else {
      var button = document.querySelector(".play-button[data-song='" + this.songId + "']");
      var player = window.SetlistPlayer;
      if (!button || !player) { return; }
      player.play([player.songOf(button)], 0);
      audio.addEventListener("loadedmetadata", function () { audio.currentTime = at; }, { once: true });
    }
    this.draw();
  };

  Seekbar.prototype.press = function (event) {
    var self = this, box = this.box;
    function at(where) {
      var place = box.getBoundingClientRect();
      return Math.min(Math.max((where.clientX - place.left) / place.width, 0), 1) * self.length();
    }
    if (event.button !== 0 || !this.peaks) { return; }
    event.preventDefault();
    box.focus();
    box.setPointerCapture(event.pointerId);
    function move(next) { self.seek(at(next)); }
    function up() {
      box.removeEventListener("pointermove", move);
      box.removeEventListener("pointerup", up);
    }
    box.addEventListener("pointermove", move);
    box.addEventListener("pointerup", up);
    this.seek(at(event));
  };

  Seekbar.prototype.key = function (event) {
    var now = this.time(), moves = {
      ArrowLeft: now - STEP, ArrowDown: now - STEP, ArrowRight: now + STEP, ArrowUp: now + STEP,
      PageDown: now - PAGE, PageUp: now + PAGE, Home: 0, End: this.length()
    };
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    event.preventDefault();
    this.seek(moves[event.key]);
  };

  /* Show this song's waveform (null: none); `found` tells whether it has one. */
  Seekbar.prototype.show = function (songId, found) {
    this.songId = songId;
    var self = this;
    return fetchPeaks(this.box.dataset.waveform || waveformUrl(songId)).then(function (shape) {
      if (self.songId !== songId) { return; } // another song came meanwhile
      self.peaks = shape && shape.peaks && shape.peaks.length ? shape.peaks : null;
      self.duration = shape ? shape.duration || 0 : 0;
      self.box.hidden = !self.peaks;
      if (found) { found(Boolean(self.peaks)); }
      self.draw();
    });
  };

  var seekbars = [];
  var inBar = bar.querySelector("[data-player=waveform]");
  var barSeekbar = inBar ? new Seekbar(inBar) : null;
  if (barSeekbar) { seekbars.push(barSeekbar); }
  document.querySelectorAll(".waveform-seek[data-song]").forEach(function (box) {
    var seekbar = new Seekbar(box);
    seekbars.push(seekbar);
    seekbar.show(Number(box.dataset.song), function (has) {
      var line = box.closest("tr");
      if (line && !has) { line.hidden = true; } // the page's "Waveform" line: none yet
    });
  });

  function follow() {
    var song = Q.current();
    if (barSeekbar && song && song.id !== barSeekbar.songId) {
      barSeekbar.box.hidden = true;
      rangeInput.hidden = false;
      barSeekbar.show(song.id, function (has) { rangeInput.hidden = has; });
    }
    seekbars.forEach(function (seekbar) { seekbar.draw(); });
  }

  ["loadstart", "timeupdate", "seeked", "durationchange", "emptied"].forEach(function (kind) {
    audio.addEventListener(kind, follow);
  });
  window.addEventListener("resize", follow);
  follow();
})();
