/* A shared setlist's player (setlists/shared_setlist.html): a row's button plays its song
   through the link's stream address; the next row follows when a song ends. */
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
  var current = null;

  function mark(row, playing) {
    var button = row.querySelector(".shared-play");
    var icon = button.querySelector("i");
    icon.className = playing ? "fa fa-pause" : "fa fa-play";
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    row.classList.toggle("shared-playing", row === current);
  }

  function play(row) {
    if (current && current !== row) {
      var previous = current;
      current = row;
      mark(previous, false);
    }
    current = row;
    if (audio.getAttribute("src") !== row.getAttribute("data-stream")) {
      audio.src = row.getAttribute("data-stream");
      title.textContent = row.getAttribute("data-title");
      detail.textContent = row.getAttribute("data-detail");
    }
    bar.hidden = false;
    document.body.classList.add("shared-player-open");
    audio.play().catch(function () {});
  }

  rows.forEach(function (row) {
    row.querySelector(".shared-play").addEventListener("click", function () {
      if (current === row && !audio.paused) {
        audio.pause();
      } else {
        play(row);
      }
    });
  });
  audio.addEventListener("play", function () {
    if (current) {
      mark(current, true);
    }
  });
  audio.addEventListener("pause", function () {
    if (current) {
      mark(current, false);
    }
  });
  audio.addEventListener("ended", function () {
    var next = rows[rows.indexOf(current) + 1];
    if (next) {
      play(next);
    }
  });
})();
