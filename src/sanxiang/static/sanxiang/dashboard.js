/* Supervisor dashboard charts (考核监督看板): ECharts over the page's json_script element
 * (#dashboard-data). No inline script. Selecting a bar or a point opens the list of the cases
 * behind it; every chart has the same numbers, with the same links, in a table beside it. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  var BRAND = "#8a1c1c";
  var SECOND = "#0b5d3b";
  var TEXT = "#1b1f24";

  function values(rows) {
    return rows.map(function (r) { return r.value === null ? null : r.value; });
  }

  function axisName(data) {
    return data.labels[data.metric.kind] || "";
  }

  function valueAxis(data, extra) {
    var axis = { type: "value", name: axisName(data), minInterval: data.metric.kind === "count" ? 1 : 0,
                 axisLabel: { hideOverlap: true, color: TEXT } };
    if (data.metric.kind === "rate") { axis.min = 0; axis.max = 100; }
    for (var k in extra) { if (Object.prototype.hasOwnProperty.call(extra, k)) { axis[k] = extra[k]; } }
    return axis;
  }

  function tooltip(rows) {
    return {
      trigger: "item", confine: true,
      formatter: function (p) {
        var r = rows[p.dataIndex];
        var text = (r.name || r.month) + ": " + r.display;
        if (data && data.metric.kind === "rate") { text += " (" + r.numerator + "/" + r.denominator + ")"; }
        return text;
      }
    };
  }

  var data = null;

  function unitsChart() {
    return {
      animation: false,
      textStyle: { color: TEXT },
      tooltip: tooltip(data.groups),
      grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
      xAxis: valueAxis(data, { nameLocation: "middle", nameGap: 24 }),
      yAxis: { type: "category", data: data.groups.map(function (g) { return g.name; }), inverse: true,
               axisLabel: { width: 112, overflow: "truncate", color: TEXT } },
      series: [{ type: "bar", name: data.metric.label, data: values(data.groups), cursor: "pointer",
                 itemStyle: { color: BRAND } }]
    };
  }

  function monthsChart() {
    return {
      animation: false,
      textStyle: { color: TEXT },
      tooltip: tooltip(data.months),
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }),
               axisLabel: { rotate: 45, hideOverlap: true, color: TEXT } },
      yAxis: valueAxis(data, { nameTextStyle: { align: "left" } }),
      series: [{ type: "line", name: data.metric.label, data: values(data.months), connectNulls: false,
                 symbolSize: 10, cursor: "pointer", itemStyle: { color: SECOND }, lineStyle: { color: SECOND } }]
    };
  }

  function follow(rows) {
    return function (params) {
      var row = rows[params.dataIndex];
      if (row && row.url) { window.location.assign(row.url); }
    };
  }

  ready(function () {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".dash-chart[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var option = kind === "units" ? unitsChart() : kind === "months" ? monthsChart() : null;
      if (!option) { return; }
      el.classList.add("dash-chart-on");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      chart.on("click", follow(kind === "units" ? data.groups : data.months));
      el.setAttribute("data-ready", "1");
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  });
}());
