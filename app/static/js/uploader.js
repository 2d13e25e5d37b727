/* The multi-file upload page: files dropped or picked are sent one request each (two at a
   time) to /songs/upload/file, with a progress bar and a result per file. Results are
   written as text, never as HTML. */
(function () {
  "use strict";

  var page = document.getElementById("multi-upload");
  if (!page) {
    return;
  }
  var labels = page.dataset;
  var input = document.getElementById("upload-files");
  var zone = page.querySelector(".drop-zone");
  var results = page.querySelector(".upload-results");
  var summary = page.querySelector(".upload-summary");
  var token = page.querySelector("input[name=csrf_token]").value;
  var album = page.querySelector("select[name=album]");
  var PARALLEL = 2;
  var waiting = [], running = 0;
  var counts = { added: 0, duplicate: 0, refused: 0 };

  function element(tag, className, text) {
    var made = document.createElement(tag);
    made.className = className || "";
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  function tell() {
    summary.textContent = labels.labelSummary
      .replace("{added}", counts.added)
      .replace("{duplicates}", counts.duplicate)
      .replace("{refused}", counts.refused)
      .replace("{waiting}", waiting.length + running);
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var row = element("li", "upload-row upload-waiting");
      row.appendChild(element("span", "upload-name", file.name));
      var bar = element("progress", "upload-progress");
      bar.max = 100;
      bar.value = 0;
      row.appendChild(bar);
      var status = element("span", "upload-status", labels.labelWaiting);
      row.appendChild(status);
      results.appendChild(row);
      waiting.push({ file: file, row: row, bar: bar, status: status });
    });
    tell();
    pump();
  }

  function pump() {
    while (running < PARALLEL && waiting.length) {
      send(waiting.shift());
    }
  }

  function send(job) {
    running += 1;
    job.row.className = "upload-row upload-sending";
    job.status.textContent = labels.labelSending;
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("audio_file", job.file, job.file.name);
    if (album && album.value) {
      data.append("album", album.value);
    }
    var request = new XMLHttpRequest();
    request.open("POST", page.dataset.uploadUrl);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        job.bar.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    request.addEventListener("load", function () {
      var answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch (error) {
        answer = null;
      }
      finish(job, answer && answer.status ? answer : { status: "refused", message: labels.labelFailed });
    });
    request.addEventListener("error", function () {
      finish(job, { status: "refused", message: labels.labelFailed });
    });
    request.send(data);
  }

  function finish(job, answer) {
    running -= 1;
    counts[answer.status] = (counts[answer.status] || 0) + 1;
    job.bar.value = 100;
    job.row.className = "upload-row upload-" + answer.status;
    job.status.textContent = answer.message;
    if (answer.url) {
      var label = answer.status === "added" ? labels.labelOpen : labels.labelExisting;
      var link = element("a", "upload-link", label);
      link.href = answer.url;
      job.status.appendChild(document.createTextNode(" "));
      job.status.appendChild(link);
    }
    tell();
    pump();
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () {
      zone.classList.remove("dragging");
    });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    add(event.dataTransfer.files);
  });
})();
