/* The player's sound settings: window.SetlistSound. "Even volume" (off, track, album) plays
   the bar's <audio> through a Web Audio gain node set from the song's ReplayGain values;
   "Data saver" streams a smaller transcoded profile. Both are kept in the queue's state
   (evenVolume, dataSaver: per tab with the queue, per user on the server through
   queue-sync.js). Loaded after queue-sync.js and before player.js, which asks `source(song)`
   for the address to play. The gain reached is in #player-bar's data-gain. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var Q = window.SetlistQueue;
  if (!bar || !Q) { return; }
  var MODES = ["off", "track", "album"];
  var audio = bar.querySelector("audio");
  var panel = document.getElementById("sound-panel");
  var toggle = bar.querySelector("[data-player=sound]");
  var Context = window.AudioContext || window.webkitAudioContext;
  var context = null, gainNode = null;
  // Off where songs stream from another site (player.html): Web Audio would hear silence.
  var unable = panel.querySelector("fieldset").disabled;

  function mode() {
    var even = Q.state().evenVolume;
    return MODES.indexOf(even) >= 0 && !unable ? even : "off";
  }

  function saving() { return Q.state().dataSaver === true; }

  function number(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }

  /* The gain (linear) for a song: its track's or album's ReplayGain gain (the track's when
     the album has none), never above 1/peak, so evening out never clips; 1 without values. */
  function gainOf(song, even) {
    if (!song || even === "off") { return 1; }
    var db = number(song.track_gain_db), peak = number(song.track_peak);
    if (even === "album" && number(song.album_gain_db) !== null) {
      db = number(song.album_gain_db);
      peak = number(song.album_peak) !== null ? number(song.album_peak) : peak;
    }
    if (db === null || !isFinite(db)) { return 1; }
    var gain = Math.pow(10, db / 20);
    return peak > 0 ? Math.min(gain, 1 / peak) : gain;
  }

  function profile() {
    return audio.canPlayType("audio/ogg; codecs=opus") ? "opus-96" : "mp3-128";
  }

  /* The address to play a song at: the smaller profile when saving data. */
  function source(song) {
    if (!saving()) { return song.stream; }
    return song.stream + (song.stream.indexOf("?") < 0 ? "?" : "&") + "profile=" + profile();
  }

  function apply() {
    var wanted = gainOf(Q.current(), mode());
    if (gainNode) { gainNode.gain.value = wanted; }
    bar.dataset.evenVolume = mode();
    bar.dataset.gainWanted = String(wanted);
    bar.dataset.gain = String(gainNode ? gainNode.gain.value : 1);
  }

  /* The element goes through the gain node only once the context runs: routed into a
     suspended context it would be silent. createMediaElementSource works once per element. */
  function connect() {
    if (!gainNode && context && context.state === "running") {
      gainNode = context.createGain();
      context.createMediaElementSource(audio).connect(gainNode);
      gainNode.connect(context.destination);
    }
    apply();
  }

  /* Browsers start an AudioContext on a person's gesture (or when the page may play). */
  function wake(gesture) {
    if (!Context || (mode() === "off" && !gainNode)) { return apply(); }
    if (!context) {
      context = new Context();
      context.addEventListener("statechange", connect);
    }
    if (context.state !== "running" && gesture) { context.resume().then(connect, apply); }
    connect();
  }

  /* Play the current song from the other address (data saver turned on or off), where it was. */
  function switchStream() {
    var song = Q.current(), now = audio.getAttribute("src");
    if (!song || !now || now === source(song)) { return; }
    var at = audio.currentTime, going = !audio.paused;
    audio.src = source(song);
    if (at > 0) {
      audio.addEventListener("loadedmetadata", function () { audio.currentTime = at; }, { once: true });
    }
    if (going) { audio.play().catch(function () {}); }
  }

  function show() {
    panel.querySelectorAll("[data-sound=even]").forEach(function (choice) {
      choice.checked = choice.value === mode();
    });
    panel.querySelector("[data-sound=saver]").checked = saving();
    bar.dataset.dataSaver = String(saving());
  }

  function changed() {
    show();
    wake(true);
    switchStream();
    Q.save(false);
  }

  panel.addEventListener("change", function (event) {
    var what = event.target.dataset.sound;
    if (what === "even" && event.target.checked) {
      Q.state().evenVolume = event.target.value;
    } else if (what === "saver") {
      Q.state().dataSaver = event.target.checked;
    }
    changed();
  });
  toggle.addEventListener("click", function () {
    var opening = panel.hidden;
    panel.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
    if (opening) { show(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
  ["pointerdown", "keydown"].forEach(function (kind) {
    document.addEventListener(kind, function () { wake(true); }, true);
  });
  audio.addEventListener("loadstart", apply);
  audio.addEventListener("play", function () { wake(false); });
  Q.onChange(apply);

  window.SetlistSound = {
    /** The address to play `song` at (data saver's profile or the file). */
    source: source,
    /** The gain "Even volume" in `even` mode gives `song` (linear, 1 for none). */
    gainOf: gainOf,
    /** A row button's loudness values (app/views/catalog/columns.py song_player). */
    loudnessOf: function (data) {
      return { track_gain_db: number(data.trackGain), track_peak: number(data.trackPeak),
        album_gain_db: number(data.albumGain), album_peak: number(data.albumPeak) };
    },
    /** The settings changed under the player (another device's, adopted): follow them. */
    refresh: function () {
      show();
      wake(false);
      switchStream();
    }
  };
  show();
})();
