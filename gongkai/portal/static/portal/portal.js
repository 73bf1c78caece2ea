/* The portal's client-side aids (self-hosted; the CSP allows 'self' only, no inline script): 长者模式, reading
   aloud with the browser's own speechSynthesis (朗读本页, 指读), the 打印 button, the column tree on wide screens.
   Every choice is kept in this browser's localStorage: the server sends the same HTML whatever the mode, so
   public pages can be cached whole. Without this script the pages work as they are (the tools stay hidden). */
(function () {
  "use strict";

  var ELDER = "gk.elder";
  var POINT = "gk.pointRead";
  var root = document.documentElement;

  function stored(key) {
    try { return window.localStorage.getItem(key) === "1"; } catch (e) { return false; }
  }
  function store(key, on) {
    try { if (on) { window.localStorage.setItem(key, "1"); } else { window.localStorage.removeItem(key); } } catch (e) { /* session only */ }
  }
  function press(button, on) { if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); } }

  /* 长者模式: larger text, higher contrast, large pointer (portal.css, html.elder). */
  function elderMode() {
    var button = document.querySelector("[data-elder-toggle]");
    if (!button) { return; }
    press(button, root.classList.contains("elder"));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      root.classList.toggle("elder", on);
      store(ELDER, on);
      press(button, on);
      if (!on) { pointRead(false); }
      syncPointButton();
    });
  }

  /* Reading aloud. Chromium stops a long utterance after ~15 s, so a page is read one block at a time. */
  var speech = window.speechSynthesis;
  var queue = [];
  var reading = null;
  var BLOCKS = "h1, h2, h3, h4, p, li, dt, dd, caption, th, td, figcaption, summary, label, legend";

  function chineseVoice() {
    var voices = speech.getVoices ? speech.getVoices() : [];
    for (var i = 0; i < voices.length; i++) { if (/^zh(-|_|$)/i.test(voices[i].lang)) { return voices[i]; } }
    return null;
  }
  function clearMark() { if (reading) { reading.classList.remove("gk-reading"); reading = null; } }
  function say(text, element, done) {
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    var voice = chineseVoice();
    if (voice) { u.voice = voice; }
    u.rate = 0.9;
    u.onstart = function () { clearMark(); if (element) { reading = element; element.classList.add("gk-reading"); } };
    u.onend = u.onerror = function () { clearMark(); if (done) { done(); } };
    speech.speak(u);
  }
  function textOf(el) { return (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim(); }
  function blocks(container) {
    return Array.prototype.filter.call(container.querySelectorAll(BLOCKS), function (el) {
      if (el.closest("[hidden], [aria-hidden='true'], .visually-hidden, script, style")) { return false; }
      if (el.querySelector(BLOCKS)) { return false; } // the innermost block carries the text
      return textOf(el) !== "";
    });
  }
  function stopReading() {
    queue = [];
    if (speech) { speech.cancel(); }
    clearMark();
    toggleStop(false);
  }
  function next() {
    var el = queue.shift();
    if (!el) { toggleStop(false); return; }
    if (el.scrollIntoView) { el.scrollIntoView({ block: "nearest" }); }
    say(textOf(el), el, next);
  }
  function readPage() {
    stopReading();
    var main = document.getElementById("content") || document.body;
    var selection = window.getSelection ? String(window.getSelection()).trim() : "";
    toggleStop(true);
    if (selection) { say(selection, null, function () { toggleStop(false); }); return; }
    queue = blocks(main);
    next();
  }
  function toggleStop(on) {
    var stop = document.querySelector("[data-read-stop]");
    if (stop) { stop.hidden = !on; }
  }

  /* 指读: in 长者模式, what the pointer rests on or the keyboard reaches is read out. */
  var pointOn = false;
  var pointTimer = null;
  function pointTarget(el) {
    if (!el || !el.closest) { return null; }
    var control = el.closest("a, button, input, select, textarea, summary");
    if (control) { return control; }
    return el.closest(BLOCKS);
  }
  function pointText(el) {
    if (el.matches("input, select, textarea")) {
      var label = el.labels && el.labels[0] ? textOf(el.labels[0]) : (el.getAttribute("aria-label") || el.placeholder || "");
      return label + (el.value && el.type !== "password" && el.type !== "hidden" ? "：" + el.value : "");
    }
    return el.getAttribute("aria-label") || textOf(el);
  }
  function pointRead(on) {
    pointOn = on;
    store(POINT, on);
    press(document.querySelector("[data-point-read]"), on);
    if (!on && speech) { speech.cancel(); clearMark(); }
  }
  function onPoint(event) {
    if (!pointOn || !root.classList.contains("elder")) { return; }
    var el = pointTarget(event.target);
    if (!el) { return; }
    window.clearTimeout(pointTimer);
    pointTimer = window.setTimeout(function () {
      var text = pointText(el);
      if (!text) { return; }
      queue = [];
      speech.cancel();
      say(text, el, null);
    }, event.type === "focusin" ? 0 : 350);
  }
  function syncPointButton() {
    var button = document.querySelector("[data-point-read]");
    if (button) { button.hidden = !speech || !root.classList.contains("elder"); }
  }
  function reader() {
    if (!speech || !window.SpeechSynthesisUtterance) { return; }
    var read = document.querySelector("[data-read-page]");
    var stop = document.querySelector("[data-read-stop]");
    var point = document.querySelector("[data-point-read]");
    if (read) { read.hidden = false; read.addEventListener("click", readPage); }
    if (stop) { stop.addEventListener("click", stopReading); }
    if (point) {
      point.addEventListener("click", function () { pointRead(!pointOn); });
      pointRead(stored(POINT) && root.classList.contains("elder"));
    }
    syncPointButton();
    document.addEventListener("mouseover", onPoint);
    document.addEventListener("focusin", onPoint);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { stopReading(); } });
    window.addEventListener("pagehide", function () { speech.cancel(); });
  }

  /* 打印: a button (hidden without this script) that opens the browser's print dialog; print.css does the rest. */
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      if (button.dataset.gkPrint) { return; }
      button.dataset.gkPrint = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* The column tree is a <details>: open on wide screens, a collapsed 「栏目导航」 on phones. */
  function sideNav() {
    var details = document.querySelector("[data-side-nav]");
    if (!details || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 901px)");
    function apply() { details.open = wide.matches; }
    apply();
    if (wide.addEventListener) { wide.addEventListener("change", apply); }
  }

  function start() {
    var tools = document.querySelector("[data-a11y-tools]");
    if (tools) { tools.hidden = false; }
    elderMode();
    reader();
    printButtons();
    sideNav();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
