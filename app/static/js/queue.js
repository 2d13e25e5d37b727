/* The play queue that outlives the page: window.SetlistQueue. The player (player.js) plays
   it; this module keeps it. Its songs, the one playing, the time reached, paused or playing,
   shuffle and repeat are kept per tab (sessionStorage, read by the next page) and per user
   on the server (/api/v1/playqueue, so another device resumes it). An album queued by "Play
   album" is fetched a page at a time, the next page when the queue nears its end. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var KEY = "setlist-queue";
  var MAX = 1000; // the server keeps at most this many songs (app/listening/queue.py)
  var NEAR_END = 10; // songs left before the next page of an album is fetched
  if (!bar) {
    sessionStorage.removeItem(KEY); // signed out: nothing carries over to the next person
    return;
  }
  // Only a signed-in page has the navbar's logout form: visitors have no queue to ask for.
  var serverUrl = document.querySelector("form.navbar-logout") ? bar.dataset.queueUrl || "" : "";
  var leaving = false; // signing out: keep nothing of this queue
  var token = document.querySelector("meta[name=csrf-token]");
  var state = blank();
  var listeners = [];
  var lastSent = null; // the body of the last save the server took
  var fetching = false;

  function blank() {
    return { songs: [], index: -1, time: 0, playing: false, shuffle: false, repeat: "off", more: null };
  }

  function changed() {
    listeners.forEach(function (listener) { listener(state); });
  }

  function clampIndex() {
    if (!state.songs.length) {
      state.index = -1;
    } else {
      state.index = Math.min(Math.max(state.index, 0), state.songs.length - 1);
    }
  }

  function room(songs) {
    return songs.slice(0, Math.max(MAX - state.songs.length, 0));
  }

  function shuffled(songs) {
    var copy = songs.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  /* Fetch the next page of the album being queued, and append it. */
  function loadMore() {
    var more = state.more;
    if (!more || fetching || state.songs.length - state.index > NEAR_END) {
      return Promise.resolve();
    }
    fetching = true;
    var url = more.url + (more.url.indexOf("?") < 0 ? "?" : "&") + "offset=" + more.offset;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (page) {
        if (state.more !== more) {
          return; // the queue was replaced meanwhile
        }
        var songs = room(page.songs);
        state.songs = state.songs.concat(state.shuffle ? shuffled(songs) : songs);
        state.more = page.more && state.songs.length < MAX
          ? { url: more.url, offset: more.offset + page.songs.length } : null;
        changed();
      })
      .catch(function () {})
      .then(function () { fetching = false; });
  }

  /* Not signed in, or not allowed to play: no queue on the server. */
  function refused(response) {
    if (response.status === 401 || response.status === 403) {
      serverUrl = "";
    }
  }

  document.addEventListener("submit", function (event) {
    if (/\/logout\/?$/.test(event.target.getAttribute("action") || "")) {
      leaving = true;
      sessionStorage.removeItem(KEY);
    }
  });

  function body() {
    return JSON.stringify({
      songs: state.songs.map(function (song) { return song.id; }),
      current: Math.max(state.index, 0),
      position_ms: Math.round(state.time * 1000),
      shuffle: state.shuffle,
      repeat: state.repeat
    });
  }

  var Q = {
    /** The queue's state (read it, change it through the functions below). */
    state: function () { return state; },
    /** The song playing, or null. */
    current: function () { return state.songs[state.index] || null; },
    /** Call `listener(state)` after every change of songs, place or modes. */
    onChange: function (listener) { listeners.push(listener); },
    /** A new queue: these songs, from `index`; `more` names an album's next page. */
    replace: function (songs, index, more) {
      state.songs = songs.slice(0, MAX);
      state.index = index;
      state.time = 0;
      state.more = more || null;
      if (state.shuffle) { // the chosen song first, the rest in a random order
        var chosen = state.songs.splice(index, 1);
        state.songs = chosen.concat(shuffled(state.songs));
        state.index = 0;
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
      if (to < 0 || to >= state.songs.length) {
        return;
      }
      var song = state.songs.splice(from, 1)[0];
      state.songs.splice(to, 0, song);
      if (state.index === from) {
        state.index = to;
      } else if (state.index === to) {
        state.index = from;
      }
      changed();
    },
    /** Take the song at `at` out; true when it was the one playing. */
    remove: function (at) {
      state.songs.splice(at, 1);
      var wasCurrent = at === state.index;
      if (at < state.index) {
        state.index -= 1;
      }
      if (wasCurrent) {
        state.time = 0;
      }
      clampIndex();
      changed();
      return wasCurrent;
    },
    /** Empty the queue. */
    clear: function () {
      var modes = { shuffle: state.shuffle, repeat: state.repeat };
      state = Object.assign(blank(), modes);
      changed();
    },
    /** Make the song at `at` the one playing, from its start. */
    go: function (at) {
      state.index = at;
      state.time = 0;
      clampIndex();
      changed();
      loadMore();
    },
    /** The place to play after this song, or -1: `ended` is true at a song's natural end. */
    following: function (ended) {
      if (ended && state.repeat === "one") {
        return state.index;
      }
      if (state.index + 1 < state.songs.length) {
        return state.index + 1;
      }
      return state.repeat === "all" && state.songs.length ? 0 : -1;
    },
    /** The place before this song, or -1. */
    preceding: function () {
      if (state.index > 0) {
        return state.index - 1;
      }
      return state.repeat === "all" && state.songs.length ? state.songs.length - 1 : -1;
    },
    /** Shuffle on: the songs after the one playing in a random order. */
    setShuffle: function (on) {
      state.shuffle = on;
      if (on) {
        var rest = state.songs.splice(state.index + 1);
        state.songs = state.songs.concat(shuffled(rest));
      }
      changed();
    },
    /** Repeat "off", "all" or "one". */
    setRepeat: function (mode) {
      state.repeat = mode;
      changed();
    },
    /** Note where the song is and whether it plays (the player calls this, no event). */
    setPlace: function (time, playing) {
      state.time = time;
      state.playing = playing;
    },
    /** Keep the queue for the next page of this tab. */
    keep: function () {
      if (!leaving) {
        sessionStorage.setItem(KEY, JSON.stringify(Object.assign({ lastSent: lastSent }, state)));
      }
    },
    /** The queue this tab kept, even empty (signing out forgets it); false when none. */
    restore: function () {
      var kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
      if (!kept || !Array.isArray(kept.songs)) {
        return false;
      }
      lastSent = kept.lastSent || null;
      state = Object.assign(blank(), kept);
      delete state.lastSent;
      clampIndex();
      return true;
    },
    /** The queue this user saved on the server (another device's), paused where it was. */
    fetchSaved: function () {
      if (!serverUrl) {
        return Promise.resolve(false);
      }
      return fetch(serverUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          refused(response);
          return response.ok ? response.json() : Promise.reject(response);
        })
        .then(function (saved) {
          if (!saved.songs.length || state.songs.length) {
            return false;
          }
          state = Object.assign(blank(), {
            songs: saved.songs, index: saved.current, time: saved.position_ms / 1000,
            shuffle: saved.shuffle, repeat: saved.repeat
          });
          clampIndex();
          lastSent = body();
          return true;
        })
        .catch(function () { return false; });
    },
    /** Save the queue for this user, unless the server has it so already. `leaving`: the
        page is going away, so the request must outlive it (keepalive). */
    save: function (leaving) {
      var sent = body();
      if (!serverUrl || leaving || sent === lastSent) {
        return;
      }
      lastSent = sent;
      fetch(serverUrl, {
        method: "PUT",
        credentials: "same-origin",
        keepalive: Boolean(leaving),
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.content : "" },
        body: sent
      }).then(function (response) {
        refused(response);
        if (!response.ok && lastSent === sent) {
          lastSent = null; // try again at the next save
        }
      }).catch(function () { lastSent = null; });
    }
  };
  window.SetlistQueue = Q;
})();
