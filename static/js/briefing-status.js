// Updates the briefing status panel without a full reload. Without JavaScript the page
// offers a "Refresh this page" link instead.
(function () {
  "use strict";
  var panel = document.getElementById("briefing-status-panel");
  if (!panel || !panel.dataset.pollUrl || !window.fetch) return;
  var url = panel.dataset.pollUrl;
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) {
        var current = document.getElementById("briefing-status-panel");
        if (data.status !== current.dataset.status) {
          current.outerHTML = data.panel_html;
        }
        if (!data.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
