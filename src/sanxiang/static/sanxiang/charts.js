/* Portal statistics charts (统计图表): ECharts, data from the page's json_script element
 * (#stats-data). No inline script; every chart has the same numbers in a table beside it. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  var BRAND = "#8a1c1c";
  var SECOND = "#0b5d3b";
  var TEXT = "#1b1f24";

  function grid(extra) {
    var g = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    for (var k in extra) { if (Object.prototype.hasOwnProperty.call(extra, k)) { g[k] = extra[k]; } }
    return g;
  }

  function columnChart(labels, values, name, color) {
    return {
      animation: false,
      textStyle: { color: TEXT },
      tooltip: { trigger: "axis", confine: true },
      grid: grid({}),
      xAxis: { type: "category", data: labels, axisLabel: { rotate: 60, hideOverlap: true, color: TEXT } },
      yAxis: { type: "value", name: name, nameTextStyle: { align: "left" }, minInterval: 1, axisLabel: { color: TEXT } },
      series: [{ type: "bar", name: name, data: values, itemStyle: { color: color } }]
    };
  }

  function barChart(labels, values, name, color) {
    return {
      animation: false,
      textStyle: { color: TEXT },
      tooltip: { trigger: "axis", confine: true },
      grid: grid({ top: 8, bottom: 36 }),
      xAxis: { type: "value", name: name, nameLocation: "middle", nameGap: 24, minInterval: 1,
               axisLabel: { hideOverlap: true, color: TEXT } },
      yAxis: { type: "category", data: labels, inverse: true,
               axisLabel: { width: 112, overflow: "truncate", color: TEXT } },
      series: [{ type: "bar", name: name, data: values, itemStyle: { color: color } }]
    };
  }

  function column(rows, i, asNumber) {
    return rows.map(function (r) { return asNumber ? parseFloat(r[i]) : r[i]; });
  }

  function options(kind, data) {
    var L = data.labels;
    switch (kind) {
      case "months-decisions":
        return columnChart(column(data.months, 0), column(data.months, 1, true), L.decisions, BRAND);
      case "months-fines":
        return columnChart(column(data.months, 0), column(data.months, 2, true), L.fines, SECOND);
      case "districts-decisions":
        return barChart(column(data.districts, 3), column(data.districts, 1, true), L.decisions, BRAND);
      case "districts-fines":
        var o = barChart(column(data.districts, 3), column(data.districts, 2, true), L.fines, SECOND);
        o.xAxis.minInterval = 0;
        return o;
      case "penalty-types":
        return barChart(column(data.penalty_types, 0), column(data.penalty_types, 1, true), L.decisions, BRAND);
      default:
        return null;
    }
  }

  ready(function () {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var option = options(el.getAttribute("data-chart"), data);
      if (!option) { return; }
      el.classList.add("chart-on");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  });
}());
