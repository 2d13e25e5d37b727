/* A shared setlist's player (setlists/shared_setlist.html): a row's button plays its song
   through the link's stream address; the next row follows when a song ends, and past the
   page's last row the next page's tracks are fetched (data-next-tracks) and played on. */
(function () {
  "use strict";
  var table = document.querySelector(".shared-entries");
  var bar = document.querySelector(".shared-player");
  if (!table || !bar) {
    return;
  }
  var audio = bar.querySelector("audio");
  var title = bar.querySelector(".shared-now-title");
  var detail = bar.querySelector(".shared-now-detail");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-stream]"));
  // The tracks to play in order: this page's rows, then the pages fetched after it.
  var queue = rows.map(function (row) {
    return {
      stream: row.getAttribute("data-stream"),
      title: row.getAttribute("data-title"),
      detail: row.getAttribute("data-detail"),
      row: row,
    };
  });
  var nextTracks = table.getAttribute("data-next-tracks");
  var at = -1;

  function mark(track, playing) {
    if (!track || !track.row) {
      return;
    }
    var button = track.row.querySelector(".shared-play");
    button.querySelector("i").className = playing ? "fa fa-pause" : "fa fa-play";
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    track.row.classList.toggle("shared-playing", playing || queue[at] === track);
  }

  function play(index) {
    var previous = queue[at];
    at = index;
    var track = queue[at];
    if (previous && previous !== track) {
      mark(previous, false);
    }
    if (audio.getAttribute("src") !== track.stream) {
      audio.src = track.stream;
      title.textContent = track.title;
      detail.textContent = track.detail;
    }
    bar.hidden = false;
    document.body.classList.add("shared-player-open");
    audio.play().catch(function () {});
  }

  function playNext() {
    if (at + 1 < queue.length) {
      play(at + 1);
      return;
    }
    if (!nextTracks) {
      return;
    }
    var url = nextTracks;
    nextTracks = null;
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (answer) {
        return answer.ok ? answer.json() : Promise.reject(answer.status);
      })
      .then(function (page) {
        nextTracks = page.next;
        page.tracks.forEach(function (track) {
          queue.push({ stream: track.stream, title: track.title, detail: track.author });
        });
        if (at + 1 < queue.length) {
          play(at + 1);
        }
      })
      .catch(function () {
        nextTracks = url; // a refusal (429) or an outage: the next end tries again
      });
  }

  rows.forEach(function (row, index) {
    row.querySelector(".shared-play").addEventListener("click", function () {
      if (at === index && !audio.paused) {
        audio.pause();
      } else {
        play(index);
      }
    });
  });
  audio.addEventListener("play", function () {
    mark(queue[at], true);
  });
  audio.addEventListener("pause", function () {
    mark(queue[at], false);
  });
  audio.addEventListener("ended", playNext);
})();
