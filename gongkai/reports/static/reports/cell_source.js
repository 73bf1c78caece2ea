// Report check results (report_check/results.html): a finding's "原文位置" link opens the place of that cell in
// the published report (the passage with the figure marked, or the page image with the cell's box) right below
// the finding, instead of leaving the page. Without JavaScript the link opens the same content as a page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.cell-source-link") : null;
    if (!link) { return; }
    event.preventDefault();
    var item = link.closest("li");
    var panel = item.querySelector(".cell-source-panel");
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "cell-source-panel";
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-live", "polite");
      item.appendChild(panel);
    }
    panel.textContent = "正在读取原文……";
    fetch(link.href, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var found = page.getElementById("cell-source");
        panel.textContent = "";
        if (found) {
          found.removeAttribute("id");
          panel.appendChild(document.importNode(found, true));
        } else {
          panel.textContent = "未能读取该单元格在原文中的位置。";
        }
        panel.setAttribute("tabindex", "-1");
        panel.focus();
      })
      .catch(function () { panel.textContent = "未能读取该单元格在原文中的位置（原文件可能已过保存期）。"; });
  });
})();
