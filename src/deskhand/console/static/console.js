// The admin console's one script: live progress of help-centre imports on the Content page.
// Each [data-crawl] block that is queued or running asks its JSON endpoint every second.
"use strict";
(function () {
  function text(el, value) { if (el) { el.textContent = value; } }

  function show(block, view) {
    var bar = block.querySelector("progress");
    var found = Math.max(view.found, view.done, 1);
    if (bar) {
      bar.max = found;
      bar.value = view.done;
      bar.setAttribute("aria-valuetext", view.done + " of " + view.found + " pages");
    }
    text(block.querySelector("[data-status]"), view.status);
    text(block.querySelector("[data-count]"), view.done + " of " + view.found + " pages read");
    text(block.querySelector("[data-current]"), view.current ? "Reading " + view.current : "");
    text(block.querySelector("[data-result]"), view.result || "");
    var list = block.querySelector("[data-errors]");
    if (list) {
      list.textContent = "";
      view.errors.forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = error;
        list.appendChild(item);
      });
    }
    block.setAttribute("data-state", view.status);
  }

  function watch(block) {
    var url = "/admin/content/crawls/" + encodeURIComponent(block.getAttribute("data-crawl"));
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (view) {
          if (!view) { return; }
          show(block, view);
          if (view.status === "queued" || view.status === "running") {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }

  document.querySelectorAll("[data-crawl]").forEach(function (block) {
    var state = block.getAttribute("data-state");
    if (state === "queued" || state === "running") { watch(block); }
  });
})();
