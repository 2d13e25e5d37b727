/* The listener's own heart and 1-5 stars on rows and record pages: the page holds each
   row's state (<span class="mine" data-starred data-rating>, app/views/catalog/mark_column.py)
   and this draws the buttons, labelled from the player bar. A click sends the change to
   /api/v1/mine/<kind>/<id>/star or /rating (with the page's CSRF token) and shows it once
   the server took it; the rating already chosen, clicked again, clears it. Every copy of
   the row on the page follows. Buttons take Enter and Space; Left and Right move along the
   stars. */
(function () {
  "use strict";

  var bar = document.getElementById("player-bar");
  var token = document.querySelector("meta[name=csrf-token]");
  var base = bar ? (bar.dataset.playsUrl || "").replace(/\/plays\/?$/, "") : "";
  if (!base) { return; }
  var labels = bar.dataset, starLabels = (labels.labelStars || "").split("|");

  function button(className, label) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.setAttribute("aria-label", label);
    made.title = label;
    return made;
  }

  function draw(box) {
    var name = box.dataset.mineName || "";
    var heart = button("btn btn-link btn-sm mine-star", labels.labelFavourite + ": " + name);
    heart.appendChild(document.createElement("i")).setAttribute("aria-hidden", "true");
    var group = document.createElement("span");
    group.className = "mine-rating";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", labels.labelYourRating + ": " + name);
    starLabels.forEach(function (label, index) {
      var star = group.appendChild(button("mine-rate", label));
      star.dataset.value = String(index + 1);
      star.textContent = "★";
    });
    box.appendChild(heart);
    box.appendChild(group);
    show(box);
  }

  /* Show the state the box's data attributes hold. */
  function show(box) {
    var starred = box.dataset.starred === "true", rating = Number(box.dataset.rating) || 0;
    var heart = box.querySelector(".mine-star");
    heart.setAttribute("aria-pressed", starred ? "true" : "false");
    heart.querySelector("i").className = "fa " + (starred ? "fa-heart" : "fa-heart-o");
    box.querySelectorAll(".mine-rate").forEach(function (star) {
      var value = Number(star.dataset.value);
      star.classList.toggle("on", value <= rating);
      star.setAttribute("aria-pressed", value === rating ? "true" : "false");
    });
  }

  function copies(box) {
    return document.querySelectorAll(".mine[data-mine-kind='" + box.dataset.mineKind +
      "'][data-mine-id='" + box.dataset.mineId + "']");
  }

  function send(box, what, body) {
    box.setAttribute("aria-busy", "true");
    fetch(base + "/" + box.dataset.mineKind + "/" + box.dataset.mineId + "/" + what, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRFToken": token ? token.content : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { return Promise.reject(answer.message); }
        copies(box).forEach(function (copy) {
          if ("starred" in answer) { copy.dataset.starred = String(answer.starred); }
          if ("rating" in answer) { copy.dataset.rating = String(answer.rating); }
          show(copy);
        });
      });
    }).catch(function (message) {
      box.title = typeof message === "string" ? message : "";
    }).then(function () { box.removeAttribute("aria-busy"); });
  }

  document.querySelectorAll(".mine[data-mine-id]").forEach(draw);

  document.addEventListener("click", function (event) {
    var pressed = event.target.closest(".mine .mine-star, .mine .mine-rate");
    if (!pressed) { return; }
    var box = pressed.closest(".mine");
    if (pressed.classList.contains("mine-star")) {
      send(box, "star", { starred: box.dataset.starred !== "true" });
    } else {
      var value = Number(pressed.dataset.value);
      send(box, "rating", { rating: value === Number(box.dataset.rating) ? 0 : value });
    }
  });

  document.addEventListener("keydown", function (event) {
    var star = event.target.closest && event.target.closest(".mine-rate");
    if (!star || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) { return; }
    var next = event.key === "ArrowLeft" ? star.previousElementSibling : star.nextElementSibling;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
