/* The multi-file upload page. Files picked or dropped (whole folders too, through the
   DataTransfer entries API or a folder picker) wait in a list until "Upload" is pressed, so
   an album can be chosen first or afterwards. Then each is sent on its own (two at a time)
   to /songs/upload/file with its folder path, read at send time with the album chosen then.
   The server answers every expected outcome (added, already there, refused) as a result to
   read; a refused or failed row gets its reason and a Retry. Text is written as text, never
   as HTML. Files come with their folder paths from static/js/uploadfiles.js. */
(function () {
  "use strict";

  var page = document.getElementById("multi-upload");
  if (!page) {
    return;
  }
  var labels = page.dataset;
  var input = document.getElementById("upload-files");
  var folderInput = document.getElementById("upload-folder");
  var zone = page.querySelector(".drop-zone");
  var results = page.querySelector(".upload-results");
  var summary = page.querySelector(".upload-summary");
  var skippedNote = page.querySelector(".upload-skipped");
  var hint = page.querySelector(".upload-hint");
  var start = page.querySelector(".upload-start");
  var startLabel = page.querySelector(".upload-start-label");
  var plainLabel = startLabel.textContent;
  var token = page.querySelector("input[name=csrf_token]").value;
  var album = page.querySelector("select[name=album]");
  var maxSize = parseInt(labels.maxSize, 10) || 0;
  var extensions = input.accept.split(",").filter(function (kind) {
    return kind.charAt(0) === ".";
  });
  var PARALLEL = 2;
  var MB = 1024 * 1024;
  var FORM_MARGIN = 16 * 1024; // the limit counts the whole request: token, path, boundaries
  var jobs = [], queue = [], running = 0, skipped = 0;
  var ICONS = {
    ready: "fa-clock-o", waiting: "fa-clock-o", sending: "fa-spinner", added: "fa-check",
    duplicate: "fa-clone", refused: "fa-times", failed: "fa-exclamation-triangle"
  };

  function element(tag, className, text) {
    var made = document.createElement(tag);
    made.className = className || "";
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, name) {
      return text.replace("{" + name + "}", values[name]);
    }, template);
  }

  function count(state) {
    return jobs.filter(function (job) { return job.state === state; }).length;
  }

  function tell() {
    var ready = count("ready");
    summary.textContent = jobs.length ? fill(labels.labelSummary, {
      added: count("added"),
      duplicates: count("duplicate"),
      refused: count("refused") + count("failed"),
      waiting: ready + count("waiting") + count("sending")
    }) : "";
    start.disabled = ready === 0;
    startLabel.textContent = ready === 0 ? plainLabel : ready === 1 ? labels.labelUploadOne
      : fill(labels.labelUpload, { count: ready });
    hint.hidden = ready === 0;
    skippedNote.hidden = skipped === 0;
    skippedNote.textContent = fill(labels.labelSkipped, { count: skipped });
  }

  function amount(size) {
    if (size < MB) {
      return Math.ceil(size / 1024) + " kB";
    }
    var value = size / MB;
    return (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10) + " MB";
  }

  function audioName(name) {
    var lower = name.toLowerCase();
    return extensions.some(function (extension) {
      return lower.slice(-extension.length) === extension;
    });
  }

  /* One row per file: its name, an outcome label (text and icon, not colour alone), a bar,
     the reason, and what can be done (Remove, Retry, open the song). */
  function add(file, path) {
    var folders = path ? path.replace(/^\/+/, "").split("/").slice(0, -1).join("/") : "";
    var job = { file: file, path: path || "", state: "ready" };
    job.row = element("li", "upload-row");
    var name = element("span", "upload-name", file.name);
    if (folders) {
      name.appendChild(element("small", "upload-folder", folders + "/"));
    }
    job.row.appendChild(name);
    job.badge = element("span", "upload-badge");
    job.row.appendChild(job.badge);
    job.bar = element("progress", "upload-progress");
    job.bar.max = 100;
    job.bar.value = 0;
    job.row.appendChild(job.bar);
    job.status = element("span", "upload-status");
    job.row.appendChild(job.status);
    job.actions = element("span", "upload-actions-row");
    job.row.appendChild(job.actions);
    results.appendChild(job.row);
    jobs.push(job);
    if (maxSize && file.size > maxSize - FORM_MARGIN) {
      job.tooBig = true; // refused here: sending it would only meet a 413
      show(job, "refused", fill(labels.labelTooBig, {
        size: amount(file.size), limit: amount(maxSize - FORM_MARGIN)
      }));
    } else {
      show(job, "ready", "");
    }
  }

  function button(text, className, action) {
    var made = element("button", "btn btn-xs " + className, text);
    made.type = "button";
    made.addEventListener("click", action);
    return made;
  }

  function show(job, state, message, url) {
    job.state = state;
    job.row.className = "upload-row upload-" + state;
    job.badge.textContent = "";
    var icon = element("i", "fa " + ICONS[state]);
    icon.setAttribute("aria-hidden", "true");
    job.badge.appendChild(icon);
    var key = "label" + state.charAt(0).toUpperCase() + state.slice(1);
    job.badge.appendChild(document.createTextNode(" " + labels[key]));
    if (state !== "sending") {
      job.bar.value = state === "ready" || state === "waiting" ? 0 : 100;
    }
    job.status.textContent = message || "";
    job.actions.textContent = "";
    if (url) {
      var link = element("a", "upload-link", state === "added" ? labels.labelOpen : labels.labelExisting);
      link.href = url;
      job.actions.appendChild(link);
    }
    if ((state === "refused" || state === "failed") && !job.tooBig) {
      job.actions.appendChild(button(labels.labelRetry, "btn-default upload-retry", function () {
        queue.push(job);
        show(job, "waiting", "");
        pump();
      }));
    }
    if (state === "ready" || job.tooBig) {
      job.actions.appendChild(button(labels.labelRemove, "btn-link upload-remove", function () {
        results.removeChild(job.row);
        jobs.splice(jobs.indexOf(job), 1);
        tell();
      }));
    }
    tell();
  }

  function pump() {
    while (running < PARALLEL && queue.length) {
      send(queue.shift());
    }
  }

  function send(job) {
    running += 1;
    show(job, "sending", "");
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("audio_file", job.file, job.file.name);
    if (job.path) {
      data.append("relative_path", job.path);
    }
    if (album && album.value) {
      data.append("album", album.value);
    }
    var request = new XMLHttpRequest();
    request.open("POST", labels.uploadUrl);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        job.bar.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    request.addEventListener("load", function () {
      finish(job, request.status, read(request.responseText));
    });
    request.addEventListener("error", function () {
      finish(job, 0, null);
    });
    request.send(data);
  }

  function read(text) {
    try {
      var answer = JSON.parse(text);
      return answer && typeof answer === "object" ? answer : null;
    } catch (error) {
      return null;
    }
  }

  /* Expected outcomes come as 200/201 with a status; anything else is an error of the
     moment (a lost connection, 413, 429, 503, a session that ended) and may be retried. */
  function finish(job, code, answer) {
    running -= 1;
    var message = answer && answer.message ? String(answer.message) : labels.labelNetwork;
    if (code === 429) {
      message = labels.labelTooMany;
    }
    if ((code === 200 || code === 201) && answer && ICONS[answer.status]) {
      show(job, answer.status, message, answer.url);
    } else if (code === 413) { // the limit changed since the page was shown
      job.tooBig = true; // no retry can make it smaller
      show(job, "refused", answer && answer.message ? message : fill(labels.labelTooBig, {
        size: amount(job.file.size), limit: amount(maxSize)
      }));
    } else {
      show(job, "failed", message);
    }
    pump();
  }

  function take(files) {
    files.forEach(function (found) {
      if (found.path && found.path.replace(/^\/+/, "").indexOf("/") > 0 && !audioName(found.file.name)) {
        skipped += 1; // a folder's cover.jpg or playlist, as `flask catalog import` skips them
        return;
      }
      add(found.file, found.path);
    });
    tell();
  }

  start.addEventListener("click", function () {
    jobs.forEach(function (job) {
      if (job.state === "ready") {
        queue.push(job);
        show(job, "waiting", "");
      }
    });
    pump();
  });
  input.addEventListener("change", function () {
    take(SetlistFiles.listed(input.files, false));
    input.value = "";
  });
  folderInput.addEventListener("change", function () {
    take(SetlistFiles.listed(folderInput.files, true));
    folderInput.value = "";
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
    SetlistFiles.dropped(event.dataTransfer, take);
  });
  tell();
})();
