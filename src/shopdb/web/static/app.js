// shopdb dashboard: small progressive enhancement. Every page works without it.
(function () {
  "use strict";

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function money(cents) {
    return (cents / 100).toLocaleString("en-US", { maximumFractionDigits: 0 });
  }

  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var island = document.getElementById(canvas.dataset.chart);
      if (!island) return;
      var spec = JSON.parse(island.textContent);
      var palette = [css("--accent"), css("--accent-2"), css("--accent-3"), css("--accent-4")];
      var datasets = spec.series.map(function (s, i) {
        var colour = s.dashed ? css("--muted") : palette[i % palette.length];
        return {
          label: s.label,
          data: s.data,
          borderColor: colour,
          backgroundColor: spec.type === "bar" ? colour : "transparent",
          borderDash: s.dashed ? [6, 4] : [],
          pointRadius: 0,
          borderWidth: 2,
          tension: 0.2,
          yAxisID: s.axis || "y"
        };
      });
      var valueAxis = {
        beginAtZero: true,
        ticks: {
          color: css("--muted"),
          callback: function (v) { return spec.money ? money(v) : v; }
        },
        grid: { color: css("--grid") }
      };
      // a horizontal chart names every bar (at most 20, 15 px each): skipping every
      // other label left half the bars unnamed
      var categoryAxis = { ticks: spec.horizontal
                             ? { color: css("--muted"), autoSkip: false, font: { size: 11 } }
                             : { color: css("--muted"), maxTicksLimit: 12 },
                           grid: { color: css("--grid") } };
      var scales = spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
      if (spec.series.some(function (s) { return s.axis === "y2"; })) {
        scales.y2 = { position: "right", beginAtZero: true, grid: { display: false },
                      ticks: { color: css("--muted") } };
      }
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: spec.horizontal ? "y" : "x",
          interaction: { mode: "index", intersect: false },
          plugins: {
            legend: { display: spec.series.length > 1, labels: { color: css("--text") } },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var v = ctx.parsed[spec.horizontal ? "x" : "y"];
                  return ctx.dataset.label + ": " + (spec.money ? money(v) : v);
                }
              }
            }
          },
          scales: scales
        }
      });
      canvas.dataset.drawn = "1";
      var loading = canvas.parentElement.querySelector(".loading");
      if (loading) loading.remove();
    });
  }

  function enhance(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("change", function () {
        if (el.id === "range" && el.value === "custom") return; // pick the days first
        el.form.requestSubmit();
      });
    });
    root.querySelectorAll("form.range input[type=date]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("change", function () {
        var range = el.form.querySelector("#range");
        if (range) range.value = "custom";
      });
    });
    // a second click while the first submission is on its way does nothing
    root.querySelectorAll("form[method=post]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          b.setAttribute("aria-disabled", "true");
          b.dataset.sending = "1";
        });
      });
    });
    drawCharts(root);
  }

  // a table's own links (a sort header, a page) swap only the table: the filter form
  // above it is left as it was, so its choices are set again from the URL now shown
  function syncFilters() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form.filters select[name]").forEach(function (select) {
      if (params.has(select.name)) select.value = params.get(select.name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:pushedIntoHistory", syncFilters);
  // htmx:load names each piece of content htmx put in the page (an outerHTML swap
  // replaces its target, so the swap's own target is gone by then)
  document.addEventListener("htmx:load", function (e) { enhance(e.detail.elt); });
})();
