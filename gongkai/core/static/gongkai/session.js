/* The warning before the staff session's idle timeout (WCAG 2.2.1): SESSION_COOKIE_AGE after the last request the
   session ends, so two minutes before that a dialog offers 「继续使用」 (one request renews the session) or
   「退出登录」. Tabs share the time of the last request through localStorage, so work in one tab keeps the
   others from warning. Self-hosted (the CSP allows 'self' only); without it the session simply ends. */
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-session-seconds") || "0", 10);
  var dialog = document.getElementById("session-warning");
  if (!seconds || !dialog || typeof dialog.showModal !== "function") { return; }
  var KEY = "gk.staffActive";
  var WARN = Math.min(120, Math.floor(seconds / 4)); // seconds before the end
  var last = Date.now();
  var expired = false;
  var active = dialog.querySelector("[data-session-active]");
  var ended = dialog.querySelector("[data-session-expired]");
  var left = dialog.querySelector("[data-session-left]");

  function share(time) { try { window.localStorage.setItem(KEY, String(time)); } catch (e) { /* this tab only */ } }
  function lastActive() {
    var shared = 0;
    try { shared = parseInt(window.localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { shared = 0; }
    return Math.max(last, shared);
  }
  function remaining() { return Math.ceil((lastActive() + seconds * 1000 - Date.now()) / 1000); }
  function show(state) {
    active.hidden = state !== "active";
    ended.hidden = state !== "expired";
    if (!dialog.open) { dialog.showModal(); }
    var focus = dialog.querySelector(state === "active" ? "[data-session-stay]" : "[data-session-login]");
    if (focus && document.activeElement !== focus && !dialog.contains(document.activeElement)) { focus.focus(); }
  }
  function expire() {
    expired = true;
    var login = dialog.querySelector("[data-session-login]");
    login.href = body.getAttribute("data-login-url") + "?next=" + encodeURIComponent(location.pathname + location.search);
    show("expired");
    login.focus();
  }
  function tick() {
    if (expired) { return; }
    var s = remaining();
    if (s <= 0) { expire(); return; }
    if (s <= WARN) {
      left.textContent = Math.floor(s / 60) + "分" + (s % 60) + "秒";
      show("active");
    } else if (dialog.open) {
      dialog.close();
    }
  }
  function stay() {
    fetch(body.getAttribute("data-keepalive-url"), { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) {
        if (response.status === 204) {
          last = Date.now();
          share(last);
          if (dialog.open) { dialog.close(); }
        } else {
          expire(); // the server had already ended the session (login_required redirected)
        }
      })
      .catch(function () { left.textContent = "网络连接失败，请稍后再试"; });
  }
  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  dialog.querySelector("[data-session-logout]").addEventListener("click", function () {
    var form = document.getElementById("logout-form");
    if (form) { form.submit(); }
  });
  dialog.querySelector("[data-session-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("cancel", function (e) { // Esc: the same as 「继续使用」 while the session lasts
    if (!expired) { e.preventDefault(); stay(); }
  });
  window.addEventListener("storage", function (e) { if (e.key === KEY) { tick(); } });
  share(last);
  window.setInterval(tick, 1000);
})();
