/* Tells the server a song was played (POST /api/v1/mine/plays) once per start of a track,
   when it has been heard for half its length or four minutes, whichever comes first: the
   rule app/listening/plays.py keeps (its numbers are on the player bar), which the server
   checks again. Only time heard counts: seeking ahead is not listening, and a seek back
   does not start the count again. The count carries over to the next page of the same
   song (pages are full page loads). Loaded after player.js; signed-in pages only. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var P = window.SetlistPlayer, Q = window.SetlistQueue;
  var KEPT = "setlist-play-heard";
  var url = bar ? bar.dataset.playsUrl : "";
  if (!P || !Q || !url || !document.querySelector("form.navbar-logout")) { return; }
  var audio = P.audio;
  var most = Number(bar.dataset.playAfterSeconds) || 240;
  var fraction = Number(bar.dataset.playAfterFraction) || 0.5;
  var RETRY = 15; // seconds heard before asking again when the server did not count it
  var token = document.querySelector("meta[name=csrf-token]");
  var track = { song: null, heard: 0, done: false, next: 0 };
  var last = null; // the position the last step of heard time ended at

  var kept = JSON.parse(sessionStorage.getItem(KEPT) || "null");
  var current = Q.current();
  if (kept && current && kept.song === current.id) { track = kept; }

  function needed() {
    var length = audio.duration;
    return isFinite(length) && length > 0 ? Math.min(most, length * fraction) : most;
  }

  function report() {
    track.done = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.content : "" },
      body: JSON.stringify({ song: track.song, heard_ms: Math.round(track.heard * 1000) })
    }).then(function (response) {
      return response.ok ? response.json() : { counted: false };
    }).then(function (answer) {
      if (!answer.counted) {
        track.done = false;
        track.next = track.heard + RETRY;
      }
    }).catch(function () { track.done = false; track.next = track.heard + RETRY; });
  }

  // A new track (or the same one again from the queue) starts its count from nothing.
  audio.addEventListener("loadstart", function () {
    var song = Q.current();
    var carried = kept && song && kept.song === song.id;
    kept = null;
    if (!carried) { track = { song: song ? song.id : null, heard: 0, done: false, next: 0 }; }
    last = null;
  });
  // A song that ran to its end and plays again (Play on its row, repeat) starts anew.
  audio.addEventListener("ended", function () {
    track = { song: track.song, heard: 0, done: false, next: 0 };
    last = null;
  });
  audio.addEventListener("seeked", function () { last = audio.currentTime; });
  audio.addEventListener("play", function () { last = audio.currentTime; });
  audio.addEventListener("timeupdate", function () {
    var now = audio.currentTime;
    var step = last === null ? 0 : now - last;
    last = now;
    if (audio.paused || audio.seeking || step <= 0 || step > 2) { return; }
    track.heard += step;
    if (!track.done && track.song && track.heard >= needed() && track.heard >= track.next) {
      report();
    }
  });
  window.addEventListener("pagehide", function () {
    sessionStorage.setItem(KEPT, JSON.stringify(track));
  });
})();
