// Filters live in the URL: the form is sent when its Apply button is pressed, never when a choice
// changes (WCAG 3.2.2), so every view can be bookmarked and shared. A locality of another council
// is dropped by the server. Charts resize with the window.
window.addEventListener("resize", function () {
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
    var c = echarts.getInstanceByDom(el); if (c) { c.resize(); }
  });
});
// "Data table for this chart" opens the table's details and moves focus to the table, for
// browsers that do not open a closed details on following a link into it.
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a[data-table]");
  if (!a) { return; }
  var table = document.getElementById("table-" + a.getAttribute("data-table"));
  if (!table) { return; }
  var details = table.closest("details");
  if (details && !details.open) { details.open = true; }
  table.focus({ preventScroll: true });
});
