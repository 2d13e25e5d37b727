/* The play queue on the server (/api/v1/playqueue): SetlistQueue.save and .fetchSaved, so
   another device (or a new tab) resumes the queue where this one left it. Loaded after
   queue.js, before player.js (base.html).
   What the server keeps is the songs loaded (at most MAX, the one playing among them), not
   a source: a long album or setlist resumes on another device as the part of it loaded
   here, since the server's queue is a list of songs (app/listening/queue.py). */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var Q = window.SetlistQueue;
  var SENT = "setlist-queue-sent"; // the body the server last took, for this tab's next page
  var MAX = 1000; // the server keeps at most this many songs
  if (!bar || !Q) {
    sessionStorage.removeItem(SENT);
    return;
  }
  // Only a signed-in page has the navbar's logout form: visitors have no queue to ask for.
  var serverUrl = document.querySelector("form.navbar-logout") ? bar.dataset.queueUrl || "" : "";
  var signingOut = false; // keep nothing of this queue, send nothing more
  var token = document.querySelector("meta[name=csrf-token]");
  var lastSent = sessionStorage.getItem(SENT);

  function sent(text) {
    lastSent = text;
    if (text === null) { sessionStorage.removeItem(SENT); } else { sessionStorage.setItem(SENT, text); }
  }

  document.addEventListener("submit", function (event) {
    if (/\/logout\/?$/.test(event.target.getAttribute("action") || "")) {
      signingOut = true;
      sent(null);
    }
  });

  /* Not signed in, or not allowed to play: no queue on the server. */
  function refused(response) {
    if (response.status === 401 || response.status === 403) { serverUrl = ""; }
  }

  function body() {
    var state = Q.state();
    var from = Math.max(0, Math.min(state.index, state.songs.length - MAX));
    return JSON.stringify({
      songs: state.songs.slice(from, from + MAX).map(function (song) { return song.id; }),
      current: Math.max(state.index - from, 0),
      position_ms: Math.round(state.time * 1000),
      shuffle: state.shuffle,
      repeat: state.repeat,
      // The player's sound settings (player-sound.js); left out (undefined) until known.
      even_volume: state.evenVolume,
      data_saver: state.dataSaver
    });
  }

  /** The queue this user saved on the server (another device's), paused where it was. */
  Q.fetchSaved = function () {
    if (!serverUrl) { return Promise.resolve(false); }
    return fetch(serverUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        refused(response);
        return response.ok ? response.json() : Promise.reject(response);
      })
      .then(function (saved) {
        var mine = Q.state(), sound = window.SetlistSound;
        Q.learned();
        if (mine.evenVolume === undefined) { // a new tab takes the user's sound settings
          mine.evenVolume = saved.even_volume;
          mine.dataSaver = saved.data_saver;
          if (sound) { sound.refresh(); }
        }
        if (!saved.songs.length || mine.songs.length) { return false; }
        Q.adopt({ songs: saved.songs, index: saved.current, time: saved.position_ms / 1000,
          shuffle: saved.shuffle, repeat: saved.repeat, evenVolume: saved.even_volume,
          dataSaver: saved.data_saver });
        sent(body());
        return true;
      })
      .catch(function () { return false; });
  };

  /** Save the queue for this user, unless the server has it so already. `closing`: the
      page is going away, so the request must outlive it (keepalive). */
  Q.save = function (closing) {
    var text = body();
    if (!serverUrl || signingOut || text === lastSent) { return; }
    // A new tab left before the saved queue came would save its blank queue over it.
    if (!Q.known()) { return; }
    if (closing) {
      lastSent = text; // the next page sends it again if need be: this request may not land
    } else {
      sent(text);
    }
    fetch(serverUrl, {
      method: "PUT",
      credentials: "same-origin",
      keepalive: Boolean(closing),
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.content : "" },
      body: text
    }).then(function (response) {
      refused(response);
      if (!response.ok && lastSent === text) {
        sent(null); // try again at the next save
      }
    }).catch(function () { if (lastSent === text) { sent(null); } });
  };
})();
