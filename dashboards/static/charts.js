// Draws every chart on the page, as SVG. The page carries each chart's ECharts options as JSON
// data, in <script type="application/json" data-chart="ID"> beside the element it is drawn in,
// never as code: a name in the data (a locality, a site) cannot run, and the page's policy allows
// no inline script. Each chart gets its option, then each extra option (confidence limits, marks,
// map layers) merged in by a later setOption; a chart with narrow-screen options (spec.narrow)
// takes them, and its narrow height, below their width (a phone), and is drawn again from its
// options when the width is crossed (a phone turned, a window resized).
(function () {
  "use strict";
  function draw(item) {
    var spec = item.spec, n = spec.narrow;
    if (n) {
      item.narrow = item.el.parentNode.clientWidth < n.below;
      var height = item.narrow ? n.height : n.wideHeight;
      if (height && item.el.style.height !== height) { item.el.style.height = height; item.chart.resize(); }
    }
    item.chart.setOption(spec.option, true);
    (spec.merge || []).forEach(function (extra) { item.chart.setOption(extra); });
    if (n && item.narrow) { item.chart.setOption(n.option); }
  }
  var resizable = [];
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (block) {
    var el = document.getElementById(block.getAttribute("data-chart"));
    if (!el) { return; }
    var spec = JSON.parse(block.textContent);
    var item = { el: el, spec: spec, narrow: false, chart: echarts.init(el, spec.theme, { renderer: spec.renderer || "svg" }) };
    draw(item);
    if (spec.narrow) { resizable.push(item); }
  });
  window.addEventListener("resize", function () {
    resizable.forEach(function (item) {
      if ((item.el.parentNode.clientWidth < item.spec.narrow.below) !== item.narrow) { draw(item); }
    });
  });
})();
