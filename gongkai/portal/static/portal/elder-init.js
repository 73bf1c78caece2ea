/* 长者模式 before the first paint: the choice lives in this browser's localStorage (portal.js switches it), so
   the page the server sends is the same for everyone and can be cached whole. Loaded in <head>, not deferred. */
(function () {
  "use strict";
  try {
    if (window.localStorage.getItem("gk.elder") === "1") { document.documentElement.classList.add("elder"); }
  } catch (e) { /* storage blocked: the standard view */ }
})();
