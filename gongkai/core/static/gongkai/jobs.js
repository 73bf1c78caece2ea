// Progress of a background job (backoffice/job.html): poll its status every second, update the bar, and
// reload the page when it has ended (the page then shows the result or why it failed). No library, no CDN.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.done === "1") { return; }
  var url = box.dataset.statusUrl;
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var message = document.getElementById("job-message");
  var status = document.getElementById("job-status");
  var failures = 0;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        failures = 0;
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        percent.textContent = data.progress;
        message.textContent = data.message ? " · " + data.message : "";
        status.textContent = data.status_label;
        if (data.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () {
        failures += 1;
        if (failures < 30) { window.setTimeout(poll, 3000); }
        else { status.textContent = "无法获取进度，请刷新页面"; }
      });
  }
  window.setTimeout(poll, 500);
})();
