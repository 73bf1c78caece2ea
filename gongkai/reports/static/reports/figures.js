/* 表二 figures form (reports/figures.html): 项目 lists only what the year's format has, 指标 only the chosen
   项目's indicators in that format, in the format's order (the options carry data-formats / data-blocks, written from
   reports/definitions by reports/forms.py). The server checks the same combination (resolve_figure); this
   only keeps a clerk from choosing one that cannot be saved. Without JavaScript every option is shown. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-table2-form]");
  if (!form) { return; }
  var year = form.querySelector("input[data-format-starts]");
  var project = form.querySelector('select[name$="project"]');
  var indicator = form.querySelector('select[name$="indicator"]');
  if (!year || !project || !indicator) { return; }
  var starts = year.getAttribute("data-format-starts").split(" ").map(function (pair) {
    var p = pair.split(":");
    return { format: p[0], from: Number(p[1]) };
  });
  var allProjects = Array.prototype.slice.call(project.options);
  var allIndicators = Array.prototype.slice.call(indicator.options);
  var note = document.createElement("p");
  note.className = "help";
  note.id = project.id + "_format";
  note.setAttribute("aria-live", "polite");
  project.parentNode.insertBefore(note, project.nextSibling);
  project.setAttribute("aria-describedby", ((project.getAttribute("aria-describedby") || "") + " " + note.id).trim());

  function formatOf(y) {
    var found = null;
    starts.forEach(function (s) { if (y >= s.from) { found = s.format; } });
    return found;
  }
  function place(option, format) {  // data-formats="2019:4 2021:2": the option's place in each format, or -1
    var found = -1;
    (option.getAttribute("data-formats") || "").split(" ").forEach(function (pair) {
      var p = pair.split(":");
      if (p[0] === format) { found = Number(p[1]); }
    });
    return found;
  }
  function refill(select, options, keep, order) {
    var chosen = select.value;
    while (select.options.length) { select.remove(0); }
    var kept = options.filter(keep);
    if (order) { kept.sort(function (a, b) { return order(a) - order(b); }); }
    kept.forEach(function (o) { select.appendChild(o); });
    var still = Array.prototype.some.call(select.options, function (o) { return o.value === chosen; });
    if (still) { select.value = chosen; } else { select.selectedIndex = select.options.length ? 0 : -1; }
  }
  function update() {
    var y = parseInt(year.value, 10);
    var format = isNaN(y) ? null : formatOf(y);
    refill(project, allProjects, function (o) { return format && place(o, format) >= 0; }, function (o) { return place(o, format); });
    note.textContent = isNaN(y) ? "请先填写年度。" : (format ? y + "年度适用" + format + "年格式。" : y + "年度（2019年以前）没有统一的表二。");
    var item = project.value.split("/")[0];
    refill(indicator, allIndicators, function (o) { return format && (o.getAttribute("data-blocks") || "").split(" ").indexOf(format + ":" + item) >= 0; });
  }
  year.addEventListener("input", update);
  year.addEventListener("change", update);
  project.addEventListener("change", update);
  update();
}());
