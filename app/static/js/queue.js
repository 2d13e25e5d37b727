/* The play queue that outlives the page: window.SetlistQueue. The player (player.js) plays
   it; this module keeps it. Its songs, the one playing, the time reached, paused or playing,
   shuffle and repeat are kept per tab (sessionStorage, read by the next page) and per user
   on the server (queue-sync.js adds SetlistQueue.save and .fetchSaved).
   A queue may hold a *source*, an album or a setlist of any length ("Play album", "Play
   setlist"): the queue knows its total and fetches its next tracks, a page at a time, as
   playback nears the end of what it has loaded; it keeps only a window of them (KEEP_BEHIND
   songs back), so 5,000 entries weigh what 25 do. Shuffle and repeat work over the whole
   source: shuffled, the source's places are played in a random order, a track at a time;
   repeat "all" starts the source again when its last track has played. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var KEY = "setlist-queue";
  var MAX = 1000; // the server keeps at most this many songs (app/listening/queue.py)
  var NEAR_END = 10; // songs left before a source's next page is fetched
  var NEAR_END_SHUFFLED = 3; // ...or its next shuffled tracks, one request each
  var KEEP_BEHIND = 50; // songs of a source kept before the one playing (for Previous)
  if (!bar) {
    sessionStorage.removeItem(KEY); // signed out: nothing carries over to the next person
    return;
  }
  var leaving = false; // signing out: keep nothing of this queue
  var known = false; // this tab holds the user's queue (Q.known)
  var state = blank();
  var listeners = [];
  var loading = null; // the source's fetch in flight (a promise)

  function blank() {
    return { songs: [], index: -1, time: 0, playing: false, shuffle: false, repeat: "off", source: null };
  }

  function changed() { listeners.forEach(function (listener) { listener(state); }); }

  function clampIndex() {
    state.index = state.songs.length ? Math.min(Math.max(state.index, 0), state.songs.length - 1) : -1;
  }

  function room(songs) { return songs.slice(0, Math.max(MAX - state.songs.length, 0)); }

  function shuffled(songs) {
    var copy = songs.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  function fromSource(song) { return Boolean(song) && typeof song.k === "number"; }

  /* The source's places 0..total-1 but `first`, in a random order, after `first` if given. */
  function shuffledOrder(total, first) {
    var rest = [];
    for (var at = 0; at < total; at++) { if (at !== first) { rest.push(at); } }
    return (first === undefined || first < 0 ? [] : [first]).concat(shuffled(rest));
  }

  /* Forget the source's songs loaded after the one playing (the order they follow changed). */
  function dropAhead() {
    var kept = state.songs.slice(state.index + 1).filter(function (song) { return !fromSource(song); });
    state.songs = state.songs.slice(0, state.index + 1).concat(kept);
  }

  /* Let go of songs long played, so a queue of 5,000 keeps a window of them. */
  function trim() {
    var extra = state.index - KEEP_BEHIND;
    if (state.source && extra > 0) {
      state.songs.splice(0, extra);
      state.index -= extra;
    }
  }

  function wants() {
    var source = state.source;
    if (!source) { return false; }
    var ahead = state.songs.length - state.index - 1;
    var more = source.next < source.total || (state.repeat === "all" && source.total > 0);
    return more && ahead < (source.order ? NEAR_END_SHUFFLED : NEAR_END);
  }

  /* Fetch the source's next tracks when playback nears the end of those loaded. */
  function loadMore() {
    if (loading || !wants()) { return loading || Promise.resolve(); }
    var source = state.source;
    if (source.next >= source.total) { // repeat "all": the source again, from its start
      source.next = 0;
      source.order = source.order ? shuffledOrder(source.total) : null;
      var last = state.songs[state.songs.length - 1];
      if (source.order && source.total > 1 && fromSource(last) && source.order[0] === last.at) {
        source.order.push(source.order.shift()); // not the same song twice in a row
      }
    }
    var at = source.order ? source.order[source.next] : source.next;
    var url = source.url + (source.url.indexOf("?") < 0 ? "?" : "&") + "offset=" + at +
      (source.order ? "&limit=1" : "");
    loading = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (page) {
        loading = null;
        if (state.source !== source) { return; } // the queue was replaced meanwhile
        if (!source.order || !page.total) { source.total = page.total; } // changed meanwhile
        var songs = page.songs.map(function (song, n) { return Object.assign(song, { k: source.next + n }); });
        source.next = songs.length ? source.next + songs.length : (source.order ? source.next + 1 : source.total);
        state.songs = state.songs.concat(songs);
        trim();
        changed();
        return loadMore();
      }, function () { loading = null; });
    return loading;
  }

  document.addEventListener("submit", function (event) {
    if (/\/logout\/?$/.test(event.target.getAttribute("action") || "")) {
      leaving = true;
      sessionStorage.removeItem(KEY);
    }
  });

  var Q = {
    /** The queue's state (read it, change it through the functions below). */
    state: function () { return state; },
    /** The song playing, or null. */
    current: function () { return state.songs[state.index] || null; },
    /** Call `listener(state)` after every change of songs, place or modes. */
    onChange: function (listener) { listeners.push(listener); },
    /** A new queue: these songs, from `index`. `source` ({url, title, total, label,
        shuffle, offset}): the songs are a page of an album or setlist, from its place
        `offset` (0: its first), whose following tracks are fetched as it plays; `shuffle`
        true plays it shuffled from the song given. */
    replace: function (songs, index, source) {
      state.songs = songs.slice(0, MAX);
      state.index = index;
      state.time = 0;
      state.source = null;
      if (source) {
        var offset = source.offset || 0;
        state.shuffle = state.shuffle || Boolean(source.shuffle);
        state.source = { url: source.url, title: source.title, total: source.total,
          label: source.label, order: null, next: offset + state.songs.length };
        state.songs.forEach(function (song, n) {
          song.at = typeof song.at === "number" ? song.at : offset + n; // rows of a page have none
          song.k = offset + n;
        });
      }
      if (state.shuffle) { // the chosen song first, the rest in a random order
        var chosen = state.songs.splice(index, 1);
        state.index = 0;
        if (state.source) {
          state.songs = chosen;
          state.source.order = shuffledOrder(state.source.total, chosen.length ? chosen[0].at : -1);
          state.source.next = chosen.length;
          chosen.forEach(function (song) { song.k = 0; });
        } else {
          state.songs = chosen.concat(shuffled(state.songs));
        }
      }
      clampIndex();
      changed();
      loadMore();
    },
    /** Songs at the end of the queue. */
    append: function (songs) {
      state.songs = state.songs.concat(room(songs));
      clampIndex();
      changed();
    },
    /** Songs right after the one playing. */
    playNext: function (songs) {
      var at = state.index + 1;
      state.songs.splice.apply(state.songs, [at, 0].concat(room(songs)));
      clampIndex();
      changed();
    },
    /** Move the song at `from` by `step` places (the song playing stays the one playing). */
    move: function (from, step) {
      var to = from + step;
      if (to < 0 || to >= state.songs.length) { return; }
      var song = state.songs.splice(from, 1)[0];
      state.songs.splice(to, 0, song);
      state.index = state.index === from ? to : state.index === to ? from : state.index;
      changed();
    },
    /** Take the song at `at` out; true when it was the one playing. */
    remove: function (at) {
      state.songs.splice(at, 1);
      var wasCurrent = at === state.index;
      state.index -= at < state.index ? 1 : 0;
      state.time = wasCurrent ? 0 : state.time;
      clampIndex();
      changed();
      loadMore();
      return wasCurrent;
    },
    /** Empty the queue (its source too). */
    clear: function () {
      state = Object.assign(blank(), { shuffle: state.shuffle, repeat: state.repeat,
        evenVolume: state.evenVolume, dataSaver: state.dataSaver }); // player-sound.js's
      changed();
    },
    /** Make the song at `at` the one playing, from its start. */
    go: function (at) {
      state.index = at;
      state.time = 0;
      clampIndex();
      trim();
      changed();
      loadMore();
    },
    /** The place to play after this song, -1 for none, or -2 when the source's next
        tracks are being fetched (wait with `loaded()`). `ended`: at a song's natural end. */
    following: function (ended) {
      if (ended && state.repeat === "one") { return state.index; }
      if (state.index + 1 < state.songs.length) { return state.index + 1; }
      if (wants()) { return -2; }
      return state.repeat === "all" && state.songs.length && !state.source ? 0 : -1;
    },
    /** Resolves when the source's next tracks are in (at once when none are wanted). */
    loaded: function () { return loadMore(); },
    /** The place before this song, or -1. */
    preceding: function () {
      if (state.index > 0) { return state.index - 1; }
      return state.repeat === "all" && state.songs.length && !state.source ? state.songs.length - 1 : -1;
    },
    /** The source playing ({title, total, label}) and the current song's place in it
        (1 for the first played), or null. */
    place: function () {
      var song = state.songs[state.index];
      return state.source && fromSource(song) ? { source: state.source, place: song.k + 1 } : null;
    },
    /** Shuffle on: what follows the song playing in a random order (a source's whole
        remainder); off: the source goes on in order after the song playing. */
    setShuffle: function (on) {
      state.shuffle = on;
      var source = state.source, song = state.songs[state.index];
      if (source) {
        dropAhead();
        var at = fromSource(song) ? song.at : -1;
        source.order = on ? shuffledOrder(source.total, at) : null;
        source.next = on ? (at < 0 ? 0 : 1) : at + 1;
        if (fromSource(song)) { song.k = on ? 0 : song.at; }
      }
      if (on) {
        var rest = state.songs.splice(state.index + 1);
        state.songs = state.songs.concat(shuffled(rest));
      }
      changed();
      loadMore();
    },
    /** Repeat "off", "all" or "one". */
    setRepeat: function (mode) {
      state.repeat = mode;
      changed();
      loadMore();
    },
    /** Note where the song is and whether it plays (the player calls this, no event). */
    setPlace: function (time, playing) {
      state.time = time;
      state.playing = playing;
    },
    /** Keep the queue for the next page of this tab. */
    keep: function () {
      // A blank queue the tab never learned is not the user's: the next page asks again.
      if (!leaving && Q.known()) { sessionStorage.setItem(KEY, JSON.stringify(state)); }
    },
    /** The user's saved queue has been heard (queue-sync.js): this tab's, even blank, is it. */
    learned: function () { known = true; },
    /** Whether this tab holds the user's queue: its own, one it kept, or the server's. */
    known: function () { return known || state.songs.length > 0; },
    /** Take this queue (kept by this tab, or saved on the server) as it is, unannounced. */
    adopt: function (kept) {
      state = Object.assign(blank(), kept);
      clampIndex();
    },
    /** The queue this tab kept, even empty (signing out forgets it); false when none. */
    restore: function () {
      var kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
      if (!kept || !Array.isArray(kept.songs)) { return false; }
      known = true;
      Q.adopt(kept);
      loadMore(); // a fetch the last page left unfinished
      return true;
    }
  };
  window.SetlistQueue = Q;
})();
