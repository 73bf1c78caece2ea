/* 打印 buttons of the applicant's pages (回执, status page): hidden until this self-hosted script (the CSP allows
   'self' only) shows them and makes them print. Without it the browser's own print command still works. */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      if (button.dataset.gkPrint) { return; }
      button.dataset.gkPrint = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
