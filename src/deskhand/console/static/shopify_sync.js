// The integrations page's Shopify sync progress: polls a small JSON document and updates
// the numbers in place (fast while a sync runs or waits, slowly otherwise).
(function () {
  "use strict";
  var box = document.getElementById("shopify-sync");
  if (!box) return;
  var url = box.getAttribute("data-progress");

  function text(id, value) {
    var node = document.getElementById(id);
    if (node && node.textContent !== value) node.textContent = value;
  }

  function stateOf(p) {
    if (p.waiting) return "Waiting for the worker to start the sync.";
    if (p.status === "running") {
      var how = p.mode === "initial" ? "initial sync" : "catching up";
      return "Syncing " + (p.phase || "…") + " (" + how + ").";
    }
    if (p.status === "done") return "Up to date.";
    if (p.status === "failed") {
      return "The last sync stopped with an error; it resumes where it stopped.";
    }
    return "Not synced yet.";
  }

  function show(p) {
    if (!p.connected) return;
    text("shopify-sync-state", stateOf(p));
    p.resources.forEach(function (r) {
      text("shopify-" + r.name, r.total === null ? String(r.done) : r.done + " / " + r.total);
      var bar = document.getElementById("shopify-" + r.name + "-bar");
      if (bar) {
        bar.max = r.total || 1;
        bar.value = r.total ? r.done : 0;
      }
    });
    text("shopify-last-sync", p.last_synced_at || "never");
    var error = p.last_error ? p.last_error + (p.last_error_at ? " (" + p.last_error_at + ")" : "") : "none";
    text("shopify-last-error", error);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        var busy = p && (p.waiting || p.status === "running");
        if (p) show(p);
        window.setTimeout(poll, busy ? 1500 : 15000);
      })
      .catch(function () { window.setTimeout(poll, 15000); });
  }
  window.setTimeout(poll, 1000);

  // The install goes to Shopify: a navigation, so the page's form-action policy (this
  // server only) does not stop the redirect to the shop's authorize page.
  var install = document.getElementById("shopify-install");
  if (install) {
    install.addEventListener("submit", function (event) {
      event.preventDefault();
      var shop = document.getElementById("shopify-install-shop").value.trim();
      window.location.href = install.getAttribute("action") + "?shop=" + encodeURIComponent(shop);
    });
  }
})();
