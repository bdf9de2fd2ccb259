// Draws every chart on the page. The page carries each chart's ECharts options as JSON data, in
// <script type="application/json" data-chart="ID"> beside the element it is drawn in, never as
// code: a name in the data (a locality, a site) cannot run, and the page's policy allows no
// inline script. Each chart gets its option, then each extra option (confidence limits, marks,
// map layers) merged in by a later setOption.
(function () {
  "use strict";
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (block) {
    var el = document.getElementById(block.getAttribute("data-chart"));
    if (!el) { return; }
    var spec = JSON.parse(block.textContent);
    var chart = echarts.init(el, spec.theme, { renderer: spec.renderer });
    chart.setOption(spec.option);
    (spec.merge || []).forEach(function (extra) { chart.setOption(extra); });
  });
})();
