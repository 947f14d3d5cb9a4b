// Batch progress: poll the small JSON status endpoint every 500 ms; reload once the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) return;
  var url = box.dataset.statusUrl;
  var fill = document.getElementById("batch-progress-fill");
  var bar = document.getElementById("batch-progress");
  var done = document.getElementById("batch-done");
  var label = document.getElementById("batch-status");
  var error = document.getElementById("batch-error");
  var names = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (s) {
        fill.style.width = s.percent + "%";
        bar.setAttribute("aria-valuenow", s.percent);
        done.textContent = Number(s.done).toLocaleString("en-US");  // the same 1,234 grouping as the page (formats.count)
        label.textContent = names[s.status] || s.status;
        box.dataset.status = s.status;
        if (s.error) { error.textContent = s.error; error.hidden = false; }
        if (s.finished) { window.location.reload(); } else { setTimeout(tick, 500); }
      })
      .catch(function () { setTimeout(tick, 2000); });
  }
  setTimeout(tick, 500);
})();
