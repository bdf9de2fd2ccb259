// Filters live in the URL: changing one reloads the page with the new query string, so every
// view can be bookmarked and shared. Charts resize with the window.
document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () {
    var form = el.form;
    // a locality belongs to one council: drop it when the council changes
    if (el.name === "council") { form.elements.locality.value = ""; }
    Array.prototype.forEach.call(form.elements, function (f) { if (f.name && f.value === "") { f.disabled = true; } });
    form.submit();
  });
});
window.addEventListener("resize", function () {
  document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
    var c = echarts.getInstanceByDom(el); if (c) { c.resize(); }
  });
});
