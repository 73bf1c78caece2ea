/* Gongkai's one self-hosted script (the CSP allows 'self' only). Every part is an enhancement: the pages work
   without it. Parts: data tables as cards on phones; the hint above a table that scrolls sideways; the Chinese
   file picker; the date picker; the error
   summary's focus; confirmation before an irreversible step. */
(function () {
  "use strict";

  /* Data tables: each cell gets its column's heading as data-label, so that a phone shows every row as a card
     (CSS: table.cards). Tables with merged cells in the body are left as they are (they scroll in place). */
  function labelTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.classList.contains("report-table") || table.querySelector("tbody [rowspan], tbody [colspan]:not(:only-child)")) { return; }
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) { return; }
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (labels[i] && !cell.hasAttribute("colspan") && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[i]); }
        });
      });
      table.classList.add("cards");
    });
  }

  /* A table wider than the screen scrolls sideways inside its wrapper (.table-wrap; a phone, 375 px): the hint
     「左右滑动查看完整表格」 stands above it while it does, and only then (a desktop shows the whole table). The
     wrapper's own label tells a screen reader the same, so the hint is for the eyes only. */
  var SCROLL_HINT = "左右滑动查看完整表格";
  function scrollHints() {
    document.querySelectorAll("main .table-wrap").forEach(function (wrap) {
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains("scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = SCROLL_HINT;
        wrap.parentNode.insertBefore(hint, wrap);
      }
      hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
    });
  }
  var hintTimer = null;
  function scrollHintsOnResize() {
    window.addEventListener("resize", function () {
      window.clearTimeout(hintTimer);
      hintTimer = window.setTimeout(scrollHints, 150);
    });
  }

  /* File inputs: the browser's own button speaks the browser's language (「Choose Files」). A styled label
     「选择文件」 stands in for it and shows the chosen names; the input stays in the form and keyboard-reachable. */
  function chineseFileInputs() {
    document.querySelectorAll('input[type="file"]').forEach(function (input) {
      if (input.dataset.gkFile) { return; }
      input.dataset.gkFile = "1";
      if (!input.id) { input.id = "gk-file-" + Math.random().toString(36).slice(2); }
      var wrap = document.createElement("span");
      wrap.className = "file-picker";
      var label = document.createElement("label");
      label.className = "button secondary file-button";
      label.htmlFor = input.id;
      label.textContent = "选择文件";
      var names = document.createElement("span");
      names.className = "file-names";
      names.setAttribute("aria-live", "polite");
      names.textContent = "未选择文件";
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      wrap.appendChild(label);
      wrap.appendChild(names);
      input.classList.add("file-input");
      input.addEventListener("change", function () {
        var list = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        names.textContent = list.length ? "已选择：" + list.join("、") : "未选择文件";
      });
    });
  }

  /* Dates: a text input with the pattern YYYY-MM-DD (class date-input, rendered by core.forms.DateInput) gets a
     small month calendar in Chinese under a 「选择日期」 button. Typing stays possible. */
  var WEEK = ["一", "二", "三", "四", "五", "六", "日"];
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function parse(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function datePickers() {
    document.querySelectorAll("input.date-input").forEach(function (input) {
      if (input.dataset.gkDate) { return; }
      input.dataset.gkDate = "1";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary date-button";
      button.textContent = "选择日期";
      button.setAttribute("aria-expanded", "false");
      var panel = document.createElement("div");
      panel.className = "date-panel";
      panel.hidden = true;
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", "选择日期");
      input.insertAdjacentElement("afterend", button);
      button.insertAdjacentElement("afterend", panel);
      var shown = null;
      function close() { panel.hidden = true; button.setAttribute("aria-expanded", "false"); }
      function draw() {
        panel.textContent = "";
        var head = document.createElement("div");
        head.className = "date-head";
        var prev = document.createElement("button");
        prev.type = "button"; prev.className = "secondary"; prev.textContent = "上月";
        var next = document.createElement("button");
        next.type = "button"; next.className = "secondary"; next.textContent = "下月";
        var title = document.createElement("strong");
        title.textContent = shown.getFullYear() + "年" + (shown.getMonth() + 1) + "月";
        head.appendChild(prev); head.appendChild(title); head.appendChild(next);
        panel.appendChild(head);
        prev.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() - 1, 1); draw(); });
        next.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() + 1, 1); draw(); });
        var grid = document.createElement("table");
        grid.className = "date-grid";
        var tr = document.createElement("tr");
        WEEK.forEach(function (w) { var th = document.createElement("th"); th.scope = "col"; th.textContent = w; tr.appendChild(th); });
        var thead = document.createElement("thead"); thead.appendChild(tr); grid.appendChild(thead);
        var tbody = document.createElement("tbody");
        var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
        var offset = (first.getDay() + 6) % 7;
        var day = new Date(first.getFullYear(), first.getMonth(), 1 - offset);
        var current = parse(input.value);
        for (var week = 0; week < 6 && (week === 0 || day.getMonth() === shown.getMonth()); week++) {
          tr = document.createElement("tr");
          for (var i = 0; i < 7; i++) {
            var td = document.createElement("td");
            if (day.getMonth() === shown.getMonth()) {
              var b = document.createElement("button");
              b.type = "button";
              b.textContent = day.getDate();
              b.dataset.value = iso(day);
              b.setAttribute("aria-label", day.getFullYear() + "年" + (day.getMonth() + 1) + "月" + day.getDate() + "日");
              if (current && iso(current) === iso(day)) { b.setAttribute("aria-pressed", "true"); }
              b.addEventListener("click", function (e) {
                input.value = e.currentTarget.dataset.value;
                input.dispatchEvent(new Event("change", { bubbles: true }));
                close(); input.focus();
              });
              td.appendChild(b);
            }
            tr.appendChild(td);
            day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
          }
          tbody.appendChild(tr);
        }
        grid.appendChild(tbody);
        panel.appendChild(grid);
      }
      button.addEventListener("click", function () {
        if (!panel.hidden) { close(); return; }
        var d = parse(input.value) || new Date();
        shown = new Date(d.getFullYear(), d.getMonth(), 1);
        draw();
        panel.hidden = false;
        button.setAttribute("aria-expanded", "true");
        var target = panel.querySelector('[aria-pressed="true"]') || panel.querySelector(".date-grid button");
        if (target) { target.focus(); }
      });
      panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { close(); button.focus(); } });
    });
  }

  /* After a failed submit the error summary takes the focus, so a screen reader announces it. */
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  /* An irreversible step asks first: <form data-confirm="…">. */
  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    });
  }

  function start() {
    labelTables();
    scrollHints();
    scrollHintsOnResize();
    chineseFileInputs();
    datePickers();
    confirmations();
    focusErrorSummary();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
